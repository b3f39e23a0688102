CREATE TABLE "run_keyword_stats" (
	"run_id" uuid PRIMARY KEY NOT NULL,
	"stats" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_keyword_stats" ADD CONSTRAINT "run_keyword_stats_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;