-- No API roles here (the plain preset): SECURITY INVOKER functions are not reported.
CREATE FUNCTION public.slugify(t text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower(regexp_replace(t, '\W+', '-', 'g')) $$;
-- SECURITY DEFINER with a pinned search_path.
CREATE FUNCTION public.handle_new_user() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN INSERT INTO public.profiles (id) VALUES (NEW.id); RETURN NEW; END $$;
CREATE FUNCTION public.purge() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO public, pg_temp
    AS $$ BEGIN DELETE FROM events; END $$;
-- Supabase's own schemas are the platform's.
CREATE SCHEMA extensions;
CREATE FUNCTION extensions.grant_pg_net_access() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$ BEGIN END $$;
