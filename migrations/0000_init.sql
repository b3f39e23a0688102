CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"suite_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"key" text NOT NULL,
	"subset" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"schema" json NOT NULL,
	"schema_hash" text NOT NULL,
	"draft" text NOT NULL,
	"declared_schema" text,
	"draft_note" text,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"prompt" text,
	"task" jsonb
);
--> statement-breakpoint
CREATE TABLE "results" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "results_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid NOT NULL,
	"case_id" bigint NOT NULL,
	"outcome" text,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"raw_output" text,
	"output_truncated" boolean DEFAULT false NOT NULL,
	"fenced" boolean DEFAULT false NOT NULL,
	"reasoning" text,
	"sent_schema" json,
	"errors" jsonb,
	"failing_keywords" text[],
	"finish_reason" text,
	"error_kind" text,
	"error_message" text,
	"latency_ms" real,
	"ttft_ms" real,
	"tpot_ms" real,
	"grammar_ms" real,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"cost_usd" double precision,
	"timings" jsonb,
	"grammar" text,
	"answer" jsonb,
	"correct" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"suite_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"trigger" text NOT NULL,
	"public" boolean DEFAULT false NOT NULL,
	"owner_token_id" uuid,
	"share_token_hash" text,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"engine" jsonb,
	"schedule_id" uuid,
	"scheduled_for" timestamp with time zone,
	"summary" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text,
	"cron" text NOT NULL,
	"suite_id" uuid NOT NULL,
	"target_ids" uuid[] NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_fired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"description" text,
	"source" jsonb,
	"hash" text NOT NULL,
	"case_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"base_url" text,
	"model" text,
	"mode" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"hardware" text,
	"api_key_env" text,
	"max_concurrency" integer,
	"pricing" jsonb,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "targets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_suite_id_suites_id_fk" FOREIGN KEY ("suite_id") REFERENCES "public"."suites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_suite_id_suites_id_fk" FOREIGN KEY ("suite_id") REFERENCES "public"."suites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_target_id_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."targets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_suite_id_suites_id_fk" FOREIGN KEY ("suite_id") REFERENCES "public"."suites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_suite_key" ON "cases" USING btree ("suite_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_suite_ordinal" ON "cases" USING btree ("suite_id","ordinal");--> statement-breakpoint
CREATE UNIQUE INDEX "results_run_case" ON "results" USING btree ("run_id","case_id");--> statement-breakpoint
CREATE INDEX "results_pending" ON "results" USING btree ("run_id","outcome");--> statement-breakpoint
CREATE INDEX "results_case" ON "results" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "runs_status" ON "runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "runs_target_suite" ON "runs" USING btree ("target_id","suite_id","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_schedule_firing" ON "runs" USING btree ("schedule_id","scheduled_for","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "suites_name_version" ON "suites" USING btree ("name","version");--> statement-breakpoint
CREATE UNIQUE INDEX "suites_name_hash" ON "suites" USING btree ("name","hash");