CREATE SCHEMA auth;
-- P0: SECURITY DEFINER (a trigger function still runs with its owner's rights).
CREATE FUNCTION public.handle_new_user() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    AS $$ BEGIN INSERT INTO profiles (id) VALUES (NEW.id); RETURN NEW; END $$;
-- P1: SECURITY INVOKER, with API roles around.
CREATE FUNCTION public.slugify(t text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower(regexp_replace(t, '\W+', '-', 'g')) $$;
CREATE PROCEDURE public.archive_old()
    LANGUAGE plpgsql
    AS $$ BEGIN DELETE FROM events WHERE created_at < now() - interval '1 year'; END $$;
