CREATE TABLE "ai_models" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"model" jsonb NOT NULL,
	"examples" integer DEFAULT 0 NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ai_models_tenant_id_kind_pk" PRIMARY KEY("tenant_id","kind")
);
--> statement-breakpoint
ALTER TABLE "ai_models" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ai_models" ADD CONSTRAINT "ai_models_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "ai_models_tenant_isolation" ON "ai_models" AS PERMISSIVE FOR ALL TO "leadflow_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
-- FORCE RLS and the app role's grants for ai_models (see 0008).
SELECT leadflow_secure_tenant_tables();
