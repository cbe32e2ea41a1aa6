CREATE SCHEMA auth;
-- P1: executable by the API roles through PUBLIC's default EXECUTE.
CREATE FUNCTION public.get_stats() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT 1::bigint $$;
-- P2: nobody may execute it yet.
CREATE FUNCTION public.purge(days integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN DELETE FROM public.events WHERE created_at < now() - make_interval(days => days); END $$;
REVOKE ALL ON FUNCTION public.purge(days integer) FROM PUBLIC;
-- Granted to authenticated only.
CREATE FUNCTION public.rebuild_search_index() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN END $$;
REVOKE ALL ON FUNCTION public.rebuild_search_index() FROM PUBLIC;
GRANT ALL ON FUNCTION public.rebuild_search_index() TO authenticated;
