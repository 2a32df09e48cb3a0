-- Follow-up jobs are written to an outbox inside the request's transaction (a plain insert, cheap on
-- the intake hot path) and moved into graphile-worker in batches by the `queue:relay` job, in one
-- transaction per batch (delete from the outbox + add_jobs): each job is queued exactly once.
-- Queue infrastructure, not tenant data: its own schema, no access for the app role.
CREATE SCHEMA IF NOT EXISTS leadflow_queue;
--> statement-breakpoint
REVOKE ALL ON SCHEMA leadflow_queue FROM PUBLIC;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS leadflow_queue.outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL,
  task text NOT NULL,
  payload jsonb NOT NULL,
  job_key text,
  run_at timestamptz,
  max_attempts integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.leadflow_enqueue(
  task text,
  payload jsonb,
  job_key text DEFAULT NULL,
  run_at timestamptz DEFAULT NULL,
  max_attempts integer DEFAULT NULL
) RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  current_tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  outbox_id bigint;
BEGIN
  IF current_tenant IS NULL OR (payload ->> 'tenantId')::uuid IS DISTINCT FROM current_tenant THEN
    RAISE EXCEPTION 'leadflow_enqueue: payload tenantId must be the transaction''s tenant' USING ERRCODE = '42501';
  END IF;
  INSERT INTO leadflow_queue.outbox (tenant_id, task, payload, job_key, run_at, max_attempts)
  VALUES (current_tenant, task, payload, job_key, run_at, max_attempts)
  RETURNING id INTO outbox_id;
  RETURN outbox_id;
END
$$;
--> statement-breakpoint
-- Move up to `batch_size` outbox rows into graphile-worker, atomically; returns how many moved.
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
  )
  SELECT array_agg((task, payload::json, NULL, run_at, max_attempts, job_key, NULL, NULL)::graphile_worker.job_spec ORDER BY id), count(*)::integer
    INTO specs, moved
    FROM batch;
  IF moved > 0 THEN
    PERFORM graphile_worker.add_jobs(specs);
  END IF;
  RETURN moved;
END
$$;
