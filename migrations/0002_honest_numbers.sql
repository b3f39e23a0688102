ALTER TABLE "runs" ADD COLUMN "partial" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "partial_reason" text;--> statement-breakpoint
-- Issue 14: a quality pair's prompt_only twin runs under a prompt_only
-- target of its own, named after the constrained one; the twins stored
-- before this ran under the constrained target and move to it.
INSERT INTO "targets" ("name", "kind", "base_url", "model", "mode", "settings", "params", "hardware", "api_key_env", "max_concurrency", "pricing")
SELECT DISTINCT t."name" || ' (prompt_only)', t."kind", t."base_url", t."model", 'prompt_only', t."settings", t."params", t."hardware", t."api_key_env", t."max_concurrency", t."pricing"
FROM "runs" r JOIN "targets" t ON t."id" = r."target_id"
WHERE r."options" ->> 'pair_role' = 'prompt_only' AND t."mode" <> 'prompt_only'
ON CONFLICT ("name") DO NOTHING;--> statement-breakpoint
UPDATE "runs" r SET "target_id" = twin."id"
FROM "targets" t, "targets" twin
WHERE t."id" = r."target_id"
  AND r."options" ->> 'pair_role' = 'prompt_only' AND t."mode" <> 'prompt_only'
  AND twin."name" = t."name" || ' (prompt_only)' AND twin."mode" = 'prompt_only'
  AND twin."kind" = t."kind"
  -- the same engine only: a target of that name on another engine is not the twin
  AND twin."base_url" IS NOT DISTINCT FROM t."base_url"
  AND twin."model" IS NOT DISTINCT FROM t."model"
  AND twin."settings" = t."settings" AND twin."params" = t."params";--> statement-breakpoint
-- Issue 14: the finished runs stored before this are judged by the rules
-- of server/runs/partial.ts, with the same words.
UPDATE "runs" r SET "partial" = true, "partial_reason" = judged."reason"
FROM (
  SELECT u."id", nullif(concat_ws('; ',
    CASE WHEN coalesce((u."summary" ->> 'total')::int, 0) < s."case_count"
      THEN 'ran ' || coalesce((u."summary" ->> 'total')::int, 0) || ' of the suite''s ' || s."case_count" || ' cases' END,
    'overrides the target''s ' || nullif(concat_ws(', ',
      CASE WHEN (u."options" ->> 'temperature')::float8 IS DISTINCT FROM coalesce(CASE WHEN jsonb_typeof(t."params" -> 'temperature') = 'number' THEN (t."params" ->> 'temperature')::float8 END, 0) THEN 'temperature' END,
      CASE WHEN (u."options" ->> 'max_tokens')::float8 IS DISTINCT FROM coalesce(CASE WHEN jsonb_typeof(t."params" -> 'max_tokens') = 'number' THEN (t."params" ->> 'max_tokens')::float8 END, 1024) THEN 'max_tokens' END,
      CASE WHEN (u."options" ->> 'few_shot')::boolean IS DISTINCT FROM coalesce(CASE WHEN jsonb_typeof(t."params" -> 'few_shot') = 'boolean' THEN (t."params" ->> 'few_shot')::boolean END, false) THEN 'few_shot' END
    ), ''),
    CASE WHEN (u."options" ->> 'mode') IS DISTINCT FROM t."mode"
      THEN 'ran in mode ' || coalesce(u."options" ->> 'mode', 'none') || ', not the target''s ' || t."mode" END,
    CASE WHEN coalesce((u."summary" ->> 'total')::int, 0) > 0
      AND coalesce((u."summary" -> 'by_outcome' ->> 'infra_error')::int, 0) + coalesce((u."summary" -> 'by_outcome' ->> 'skipped')::int, 0) > 0.05 * (u."summary" ->> 'total')::int
      THEN (coalesce((u."summary" -> 'by_outcome' ->> 'infra_error')::int, 0) + coalesce((u."summary" -> 'by_outcome' ->> 'skipped')::int, 0)) || ' of ' || (u."summary" ->> 'total')::int || ' cases infra_error or skipped (over 5%)' END
  ), '') AS "reason"
  FROM "runs" u
  JOIN "targets" t ON t."id" = u."target_id"
  JOIN "suites" s ON s."id" = u."suite_id"
  WHERE u."finished_at" IS NOT NULL
) judged
WHERE judged."id" = r."id" AND judged."reason" IS NOT NULL;
