-- FORCE RLS and the app role's grants for lead_imports (see 0008).
SELECT leadflow_secure_tenant_tables();
