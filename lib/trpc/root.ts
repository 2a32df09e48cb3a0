import "server-only";
import { createCallerFactory, createTRPCRouter } from "./init";
import { leadsRouter } from "./routers/leads";
import { settingsRouter } from "./routers/settings";
import { analyticsRouter } from "./routers/analytics";
import { meRouter } from "./routers/me";
import { importsRouter } from "./routers/imports";
import { bitrix24Router } from "./routers/bitrix24";

export const appRouter = createTRPCRouter({
  leads: leadsRouter,
  settings: settingsRouter,
  analytics: analyticsRouter,
  me: meRouter,
  imports: importsRouter,
  bitrix24: bitrix24Router,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
