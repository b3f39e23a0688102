ALTER TABLE "runs" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "hidden_reason" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "flags" jsonb;