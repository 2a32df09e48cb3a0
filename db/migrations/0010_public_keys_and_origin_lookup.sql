ALTER TABLE "site_keys" ADD COLUMN "key" text;--> statement-breakpoint
CREATE INDEX "sites_origins_idx" ON "sites" USING gin ("origins");--> statement-breakpoint
CREATE POLICY "sites_origin_lookup" ON "sites" AS PERMISSIVE FOR SELECT TO "leadflow_app" USING ("sites"."archived_at" is null and nullif(current_setting('app.origin', true), '') = any("sites"."origins"));