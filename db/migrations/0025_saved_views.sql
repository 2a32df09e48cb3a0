CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "saved_views" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ALTER COLUMN "settings" SET DEFAULT '{"dedupeWindowDays":30,"firstResponseTargetMinutes":15,"aiCategories":["web_development","web_design","advertising","seo","support","partnership","spam","other"],"autoAssign":true,"workingHours":{"enabled":false,"days":[1,2,3,4,5],"start":"09:00","end":"18:00"},"reassignOverdue":false}'::jsonb;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_views_user_idx" ON "saved_views" USING btree ("tenant_id","user_id","name");--> statement-breakpoint
CREATE POLICY "saved_views_own" ON "saved_views" AS PERMISSIVE FOR ALL TO "leadflow_app" USING ("saved_views"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid and "saved_views"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("saved_views"."tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid and "saved_views"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
-- FORCE RLS and the app role's grants for saved_views (see 0008).
SELECT leadflow_secure_tenant_tables();
