-- One call for every future migration that adds tables: force RLS on every RLS-enabled table of
-- the public schema and grant the app role its DML there (what 0002 and 0004 did inline).
-- Usage at the end of a migration that creates a tenant table:  SELECT leadflow_secure_tenant_tables();
CREATE OR REPLACE FUNCTION public.leadflow_secure_tenant_tables() RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  t record;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
  LOOP
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t.relname);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO leadflow_app', t.relname);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.leadflow_secure_tenant_tables() FROM PUBLIC;
--> statement-breakpoint
SELECT leadflow_secure_tenant_tables();
