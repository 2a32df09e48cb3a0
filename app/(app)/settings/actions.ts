"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { tenantAction } from "@/lib/actions";
import { archiveSite, createSiteTx, revokeKey, rotateKey, updateSite } from "@/lib/services/sites";
import { ZKeyRevokeSchema, ZSiteCreateSchema, ZSiteKeyActionSchema, ZSiteUpdateSchema } from "@/lib/validators/sites";

const owner = { roles: ["owner" as const] };
const done = <T,>(v: T): T => {
  revalidatePath("/settings");
  return v;
};

export const createSiteAction = tenantAction(
  ZSiteCreateSchema,
  async (input, { tx, tenantId, userId }) => done(await createSiteTx(tx, tenantId, input, userId)),
  owner,
);

export const updateSiteAction = tenantAction(
  ZSiteUpdateSchema,
  async (input, { tx, tenantId, userId }) => done(await updateSite(tx, tenantId, input, userId)),
  owner,
);

export const rotateKeyAction = tenantAction(
  ZSiteKeyActionSchema,
  async ({ siteId, kind }, { tx, tenantId, userId }) => done(await rotateKey(tx, tenantId, siteId, kind, userId)),
  owner,
);

export const revokeKeyAction = tenantAction(
  ZKeyRevokeSchema,
  async ({ keyId }, { tx, tenantId, userId }) => done(await revokeKey(tx, tenantId, keyId, userId)),
  owner,
);

export const archiveSiteAction = tenantAction(
  z.object({ siteId: z.uuid() }),
  async ({ siteId }, { tx, tenantId, userId }) => done(await archiveSite(tx, tenantId, siteId, userId)),
  owner,
);
