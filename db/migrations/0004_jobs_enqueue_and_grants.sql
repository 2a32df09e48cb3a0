-- New tenant table(s): force RLS and grant DML to the app role (same loop as 0002; idempotent).
DO $$
DECLARE t record;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t.relname);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO leadflow_app', t.relname);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Enqueue a background job (graphile-worker) from inside a tenant transaction, so a lead and its
-- follow-up work commit together. The app role cannot touch the queue's tables; this function runs
-- as the schema owner and only for the transaction's own tenant (the payload must name it).
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
  job_id bigint;
BEGIN
  IF current_tenant IS NULL OR (payload ->> 'tenantId')::uuid IS DISTINCT FROM current_tenant THEN
    RAISE EXCEPTION 'leadflow_enqueue: payload tenantId must be the transaction''s tenant' USING ERRCODE = '42501';
  END IF;
  SELECT (graphile_worker.add_job(task, payload::json, job_key => job_key, run_at => run_at, max_attempts => max_attempts)).id INTO job_id;
  RETURN job_id;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.leadflow_enqueue(text, jsonb, text, timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.leadflow_enqueue(text, jsonb, text, timestamptz, integer) TO leadflow_app;
