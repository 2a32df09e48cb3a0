-- The hourly `intake:cleanup` job removes idempotency keys past their 24 h window for every tenant.
-- It runs as the schema owner, which FORCE ROW LEVEL SECURITY holds to the policies too (a
-- superuser would bypass them; a managed database's owner role would not). This policy lets the
-- owner delete only expired rows: nothing else, and nothing for the app role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'intake_requests_expired_cleanup' AND polrelid = 'public.intake_requests'::regclass) THEN
    EXECUTE format(
      'CREATE POLICY intake_requests_expired_cleanup ON public.intake_requests FOR DELETE TO %I USING (created_at < now() - interval ''25 hours'')',
      current_user);
  END IF;
END
$$;
