-- The role request work runs as (SET LOCAL ROLE inside withTenant). Roles are cluster-wide, so
-- create it only when missing: several LeadFlow databases may share one server.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadflow_app') THEN
    CREATE ROLE leadflow_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
-- A role that owns the schema but is not a superuser needs membership to SET ROLE to it.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT leadflow_app TO %I', current_user);
  END IF;
END
$$;
