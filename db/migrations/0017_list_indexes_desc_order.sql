DROP INDEX "leads_tenant_assignee_idx";--> statement-breakpoint
DROP INDEX "leads_tenant_created_idx";--> statement-breakpoint
DROP INDEX "leads_tenant_status_idx";--> statement-breakpoint
CREATE INDEX "leads_tenant_assignee_created_idx" ON "leads" USING btree ("tenant_id","assignee_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_tenant_created_idx" ON "leads" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_tenant_status_idx" ON "leads" USING btree ("tenant_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);