-- Custom migration (drizzle-kit generate --custom): runs stored `done`
-- before failed runs existed that measured nothing are judged once.
-- Runs stored `done` before failed runs existed that measured nothing are
-- judged once by the rules of server/runs/failure.ts (failureOf), in its
-- words: more than half of the attempted cases infra_error (auth_failed
-- when every one is a refused key, engine_down when every attempted case
-- is one with the engine unreachable, else mostly_infra_errors), else E = 0
-- (nothing_measured). They leave the board, rankings, trends and drift
-- baselines with it.
UPDATE "runs" u SET
  "status" = 'failed',
  "failure_reason" = judged."reason",
  "error" = judged."message"
FROM (
  SELECT c."run_id",
    CASE
      WHEN c."infra" > c."attempted" / 2.0 AND c."all_refused" THEN 'auth_failed'
      WHEN c."infra" > c."attempted" / 2.0 AND c."infra" = c."attempted" AND c."all_unreachable" THEN 'engine_down'
      WHEN c."infra" > c."attempted" / 2.0 THEN 'mostly_infra_errors'
      ELSE 'nothing_measured'
    END AS "reason",
    CASE
      WHEN c."infra" > c."attempted" / 2.0 AND c."all_refused" THEN 'the engine refused the API key' || coalesce(': ' || c."example", '')
      WHEN c."infra" > c."attempted" / 2.0 AND c."infra" = c."attempted" AND c."all_unreachable" THEN 'the engine could not be reached' || coalesce(': ' || c."example", '')
      WHEN c."infra" > c."attempted" / 2.0 THEN 'more than half of the attempted cases ended infra_error (' || c."infra" || ' of ' || c."attempted" || ')' || coalesce(': ' || c."example", '')
      ELSE 'no case could be scored (every case was invalid_schema, infra_error or skipped)'
    END AS "message",
    c."infra", c."attempted", c."scored"
  FROM (
    SELECT r."run_id",
      count(*) FILTER (WHERE r."outcome" <> 'skipped') AS "attempted",
      count(*) FILTER (WHERE r."outcome" = 'infra_error') AS "infra",
      count(*) FILTER (WHERE r."outcome" NOT IN ('skipped', 'infra_error', 'invalid_schema')) AS "scored",
      coalesce(bool_and(coalesce(left(r."error_message", 200) ~ '\mHTTP 40[13]\M', false)) FILTER (WHERE r."outcome" = 'infra_error'), false) AS "all_refused",
      coalesce(bool_and(coalesce(left(r."error_message", 200) ~ '^(transport|timeout):', false)) FILTER (WHERE r."outcome" = 'infra_error'), false) AS "all_unreachable",
      (array_agg(left(r."error_message", 200) ORDER BY r."id") FILTER (WHERE r."outcome" = 'infra_error' AND r."error_message" IS NOT NULL))[1] AS "example"
    FROM "results" r
    GROUP BY r."run_id"
  ) c
) judged
WHERE judged."run_id" = u."id" AND u."status" = 'done'
  AND (judged."infra" > judged."attempted" / 2.0 OR judged."scored" = 0);
