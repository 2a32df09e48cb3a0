DROP INDEX "leads_phone_digits_trgm_idx";--> statement-breakpoint
ALTER TABLE "leads" DROP COLUMN "phone_digits";