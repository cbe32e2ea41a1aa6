CREATE SCHEMA auth;
-- In a private schema.
CREATE SCHEMA private;
CREATE FUNCTION private.get_stats() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path TO '' AS $$ SELECT 1::bigint $$;
-- A trigger function cannot be called through the API.
CREATE FUNCTION public.handle_new_user() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN INSERT INTO public.profiles (id) VALUES (NEW.id); RETURN NEW; END $$;
-- SECURITY INVOKER.
CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
-- A procedure: PostgREST calls functions only.
CREATE PROCEDURE public.rebuild()
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN END $$;
