ALTER TABLE "leads" ADD COLUMN "stages_reached" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Every status a lead has had, now or on its timeline (the analytics funnel), kept by a trigger so
-- every writer (the CRM, the REST API, the Bitrix24 sync, imports) keeps it without knowing.
CREATE OR REPLACE FUNCTION public.leadflow_track_stages() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.status IS NOT NULL AND NOT (NEW.status = ANY (NEW.stages_reached)) THEN
    NEW.stages_reached := NEW.stages_reached || NEW.status;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER leads_track_stages BEFORE INSERT OR UPDATE OF status, stages_reached ON public.leads
  FOR EACH ROW EXECUTE FUNCTION public.leadflow_track_stages();
--> statement-breakpoint
-- Backfill from the current status and the timeline. The migration runs as the tables' owner, whom
-- FORCE ROW LEVEL SECURITY holds to the policies (and no policy is for the owner): lift it for this
-- one statement, inside the migration's transaction, and put it back.
ALTER TABLE public.leads NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.lead_events NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE public.leads l SET stages_reached = coalesce((
  SELECT array_agg(DISTINCT s) FROM (
    SELECT l.status AS s
    UNION SELECT e.payload->>'from' FROM public.lead_events e WHERE e.tenant_id = l.tenant_id AND e.lead_id = l.id AND e.type = 'status_changed'
    UNION SELECT e.payload->>'to' FROM public.lead_events e WHERE e.tenant_id = l.tenant_id AND e.lead_id = l.id AND e.type = 'status_changed'
  ) x WHERE s IS NOT NULL), ARRAY[l.status]);
--> statement-breakpoint
ALTER TABLE public.leads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.lead_events FORCE ROW LEVEL SECURITY;
