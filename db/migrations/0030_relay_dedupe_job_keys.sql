-- The relay hands graphile-worker one batch at a time with add_jobs; two outbox rows with the same
-- job key in one batch (one retraining queued per tenant, several leads closed at once) made that
-- statement touch a row twice. Within a batch the newest row of each key now stands for it — the
-- same outcome as relaying them one by one, since a job key's newer job replaces the older.
CREATE OR REPLACE FUNCTION leadflow_queue.relay(batch_size integer DEFAULT 500) RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
  moved integer;
  specs graphile_worker.job_spec[];
BEGIN
  WITH batch AS (
    DELETE FROM leadflow_queue.outbox
    WHERE id IN (SELECT id FROM leadflow_queue.outbox ORDER BY id LIMIT batch_size FOR UPDATE SKIP LOCKED)
    RETURNING id, task, payload, job_key, run_at, max_attempts
  ),
  newest AS (
    SELECT DISTINCT ON (coalesce(job_key, 'id:' || id::text)) id, task, payload, job_key, run_at, max_attempts
    FROM batch
    ORDER BY coalesce(job_key, 'id:' || id::text), id DESC
  )
  SELECT array_agg((task, payload::json, NULL, run_at, max_attempts, job_key, NULL, NULL)::graphile_worker.job_spec ORDER BY id),
         (SELECT count(*)::integer FROM batch)
    INTO specs, moved
    FROM newest;
  IF coalesce(array_length(specs, 1), 0) > 0 THEN
    PERFORM graphile_worker.add_jobs(specs);
  END IF;
  RETURN moved;
END
$$;
