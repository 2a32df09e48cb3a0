CREATE TABLE "bitrix24_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"op_id" bigint,
	"lead_id" uuid,
	"method" text NOT NULL,
	"request" jsonb,
	"http_status" integer,
	"response" jsonb,
	"outcome" text NOT NULL,
	"error" text,
	"next_at" timestamp with time zone,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bitrix24_attempts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bitrix24_backfills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"created_by" uuid,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"cursor" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bitrix24_backfills" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bitrix24_buckets" (
	"portal" text PRIMARY KEY NOT NULL,
	"level" double precision DEFAULT 0 NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bitrix24_connections" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"webhook_enc" text NOT NULL,
	"portal_host" text NOT NULL,
	"portal_user_id" integer NOT NULL,
	"portal_user_name" text,
	"member_id" text,
	"app_token_hash" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"sync_leads" boolean DEFAULT true NOT NULL,
	"sync_status_out" boolean DEFAULT true NOT NULL,
	"sync_status_in" boolean DEFAULT true NOT NULL,
	"stages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status_map_in" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"user_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"broken_reason" text,
	"broken_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"reconciled_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bitrix24_connections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bitrix24_links" (
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"portal_host" text NOT NULL,
	"bitrix_id" integer NOT NULL,
	"status_id" text,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bitrix24_links_tenant_id_lead_id_pk" PRIMARY KEY("tenant_id","lead_id")
);
--> statement-breakpoint
ALTER TABLE "bitrix24_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bitrix24_ops" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"uncertain" boolean DEFAULT false NOT NULL,
	"last_error" text,
	"backfill_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bitrix24_ops" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bitrix24_attempts" ADD CONSTRAINT "bitrix24_attempts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitrix24_backfills" ADD CONSTRAINT "bitrix24_backfills_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitrix24_connections" ADD CONSTRAINT "bitrix24_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitrix24_links" ADD CONSTRAINT "bitrix24_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitrix24_links" ADD CONSTRAINT "bitrix24_links_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitrix24_ops" ADD CONSTRAINT "bitrix24_ops_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bitrix24_ops" ADD CONSTRAINT "bitrix24_ops_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bitrix24_attempts_tenant_idx" ON "bitrix24_attempts" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "bitrix24_attempts_lead_idx" ON "bitrix24_attempts" USING btree ("tenant_id","lead_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "bitrix24_backfills_tenant_idx" ON "bitrix24_backfills" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "bitrix24_links_bitrix_idx" ON "bitrix24_links" USING btree ("tenant_id","portal_host","bitrix_id");--> statement-breakpoint
CREATE INDEX "bitrix24_ops_pending_idx" ON "bitrix24_ops" USING btree ("tenant_id","next_at","id") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "bitrix24_ops_lead_idx" ON "bitrix24_ops" USING btree ("tenant_id","lead_id","id");--> statement-breakpoint
CREATE INDEX "bitrix24_ops_backfill_idx" ON "bitrix24_ops" USING btree ("tenant_id","backfill_id") WHERE backfill_id is not null;--> statement-breakpoint
CREATE POLICY "bitrix24_attempts_tenant_isolation" ON "bitrix24_attempts" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "bitrix24_backfills_tenant_isolation" ON "bitrix24_backfills" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "bitrix24_connections_tenant_isolation" ON "bitrix24_connections" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "bitrix24_links_tenant_isolation" ON "bitrix24_links" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "bitrix24_ops_tenant_isolation" ON "bitrix24_ops" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
-- The queue and the log number their rows; the app role inserts them.
GRANT USAGE ON SEQUENCE public.bitrix24_ops_id_seq, public.bitrix24_attempts_id_seq TO leadflow_app;
--> statement-breakpoint
-- The Bitrix24 jobs that run across tenants (the reconcile sweep) run as the schema owner: they
-- may read connections to learn which tenants are connected (they select tenant ids only); each
-- tenant's work then runs in that tenant's transaction as the app role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'bitrix24_connections_sweep' AND polrelid = 'public.bitrix24_connections'::regclass) THEN
    EXECUTE format('CREATE POLICY bitrix24_connections_sweep ON public.bitrix24_connections FOR SELECT TO %I USING (true)', current_user);
  END IF;
END
$$;
--> statement-breakpoint
-- bitrix24_buckets is not tenant data (one row per portal host): the owner connection only.
REVOKE ALL ON public.bitrix24_buckets FROM leadflow_app;
--> statement-breakpoint
-- FORCE RLS and the app role's grants for the new tenant tables (see 0008).
SELECT leadflow_secure_tenant_tables();
