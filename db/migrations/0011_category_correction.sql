ALTER TABLE "leads" ADD COLUMN "ai_category_corrected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "ai_category_corrected_by" uuid;