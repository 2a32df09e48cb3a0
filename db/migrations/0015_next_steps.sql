ALTER TABLE "leads" ADD COLUMN "next_step_kind" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "next_step_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "next_step_text" text;--> statement-breakpoint
CREATE INDEX "leads_tenant_next_step_idx" ON "leads" USING btree ("tenant_id","assignee_id","next_step_due_at") WHERE "leads"."next_step_due_at" is not null;