-- A DELETE whose WHERE reads columns is also held to the SELECT policies: the owner's cleanup
-- (0007) needs to see the expired rows it removes. Still only expired rows, only for the owner.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polname = 'intake_requests_expired_cleanup_select' AND polrelid = 'public.intake_requests'::regclass) THEN
    EXECUTE format(
      'CREATE POLICY intake_requests_expired_cleanup_select ON public.intake_requests FOR SELECT TO %I USING (created_at < now() - interval ''25 hours'')',
      current_user);
  END IF;
END
$$;
