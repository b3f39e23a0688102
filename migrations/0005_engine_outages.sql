CREATE TABLE "engine_states" (
	"engine_key" text PRIMARY KEY NOT NULL,
	"down_since" timestamp with time zone,
	"probed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "suspect" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "engine_key" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "engine_waited_ms" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "results_suspects" ON "results" USING btree ("run_id") WHERE "results"."suspect" and "results"."outcome" is null;
