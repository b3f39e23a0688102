ALTER TABLE "cases" ADD COLUMN "derived_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "validator_version" integer DEFAULT 1 NOT NULL;