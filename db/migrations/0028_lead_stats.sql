CREATE TABLE "lead_stats" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	"spam" integer DEFAULT 0 NOT NULL,
	"won" integer DEFAULT 0 NOT NULL,
	"qualified" integer DEFAULT 0 NOT NULL,
	"responded" integer DEFAULT 0 NOT NULL,
	"in_target" integer DEFAULT 0 NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"resp" double precision[],
	CONSTRAINT "lead_stats_tenant_id_day_dim_key_pk" PRIMARY KEY("tenant_id","day","dim","key")
);
--> statement-breakpoint
ALTER TABLE "lead_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_stats_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"timezone" text NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_stats_days_tenant_id_day_pk" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "lead_stats_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_stats_dirty" (
	"tenant_id" uuid NOT NULL,
	"utc_day" date NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_stats_dirty_tenant_id_utc_day_pk" PRIMARY KEY("tenant_id","utc_day")
);
--> statement-breakpoint
ALTER TABLE "lead_stats_dirty" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "lead_stats" ADD CONSTRAINT "lead_stats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_stats_days" ADD CONSTRAINT "lead_stats_days_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_stats_dirty" ADD CONSTRAINT "lead_stats_dirty_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "lead_stats_tenant_isolation" ON "lead_stats" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "lead_stats_days_tenant_isolation" ON "lead_stats_days" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "lead_stats_dirty_tenant_isolation" ON "lead_stats_dirty" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
-- Which UTC days' leads changed since their rollup was built: statement-level triggers with
-- transition tables, so a bulk load or a bulk change marks each day once, not once per row.
CREATE OR REPLACE FUNCTION public.leadflow_stats_dirty() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO public.lead_stats_dirty (tenant_id, utc_day)
      SELECT DISTINCT tenant_id, (created_at AT TIME ZONE 'UTC')::date FROM new_rows
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO public.lead_stats_dirty (tenant_id, utc_day)
      SELECT DISTINCT tenant_id, (created_at AT TIME ZONE 'UTC')::date FROM old_rows
      ON CONFLICT DO NOTHING;
  ELSE
    -- Only the changes a figure reads (a note or a next step touches updated_at alone).
    INSERT INTO public.lead_stats_dirty (tenant_id, utc_day)
      SELECT DISTINCT x.tenant_id, (x.created_at AT TIME ZONE 'UTC')::date
      FROM new_rows n JOIN old_rows o ON o.id = n.id,
        LATERAL (VALUES (n.tenant_id, n.created_at), (o.tenant_id, o.created_at)) x(tenant_id, created_at)
      WHERE (n.status, n.spam, n.channel, n.site_id, n.utm_source, n.utm_medium, n.utm_campaign, n.assignee_id, n.ai_category,
             n.first_response_at, n.first_response_due_at, n.stages_reached, n.created_at, n.tenant_id)
        IS DISTINCT FROM
            (o.status, o.spam, o.channel, o.site_id, o.utm_source, o.utm_medium, o.utm_campaign, o.assignee_id, o.ai_category,
             o.first_response_at, o.first_response_due_at, o.stages_reached, o.created_at, o.tenant_id)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER leads_stats_dirty_insert AFTER INSERT ON public.leads REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.leadflow_stats_dirty();
--> statement-breakpoint
CREATE TRIGGER leads_stats_dirty_update AFTER UPDATE ON public.leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.leadflow_stats_dirty();
--> statement-breakpoint
CREATE TRIGGER leads_stats_dirty_delete AFTER DELETE ON public.leads REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.leadflow_stats_dirty();
--> statement-breakpoint
-- The refresh job runs as the schema owner across tenants: it may list which tenants have dirty
-- days (a tenant id and a date, no customer data) — nothing else; each tenant's rebuild then runs
-- in that tenant's transaction as the app role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'lead_stats_dirty_sweep' AND polrelid = 'public.lead_stats_dirty'::regclass) THEN
    EXECUTE format('CREATE POLICY lead_stats_dirty_sweep ON public.lead_stats_dirty FOR SELECT TO %I USING (true)', current_user);
  END IF;
END
$$;
--> statement-breakpoint
SELECT leadflow_secure_tenant_tables();
--> statement-breakpoint
-- Every day that already has leads is to be built.
ALTER TABLE public.leads NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.lead_stats_dirty NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO public.lead_stats_dirty (tenant_id, utc_day)
  SELECT DISTINCT tenant_id, (created_at AT TIME ZONE 'UTC')::date FROM public.leads ON CONFLICT DO NOTHING;
--> statement-breakpoint
ALTER TABLE public.leads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.lead_stats_dirty FORCE ROW LEVEL SECURITY;
