ALTER TABLE "suites" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "targets" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "targets" DROP COLUMN "archived";