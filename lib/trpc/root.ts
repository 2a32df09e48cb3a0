import "server-only";
import { createCallerFactory, createTRPCRouter } from "./init";
import { leadsRouter } from "./routers/leads";
import { settingsRouter } from "./routers/settings";
import { analyticsRouter } from "./routers/analytics";
import { meRouter } from "./routers/me";
import { importsRouter } from "./routers/imports";

export const appRouter = createTRPCRouter({
  leads: leadsRouter,
  settings: settingsRouter,
  analytics: analyticsRouter,
  me: meRouter,
  imports: importsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
