CREATE SCHEMA auth;
-- Revoked from PUBLIC, granted to signed-in users only.
CREATE FUNCTION public.delete_user(target uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN DELETE FROM public.profiles WHERE id = target; END $$;
REVOKE ALL ON FUNCTION public.delete_user(target uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.delete_user(target uuid) TO authenticated;
-- SECURITY INVOKER.
CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
-- A trigger function cannot be called directly.
CREATE FUNCTION public.handle_new_user() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN INSERT INTO public.profiles (id) VALUES (NEW.id); RETURN NEW; END $$;
-- A private schema anon has no USAGE on.
CREATE SCHEMA private;
CREATE FUNCTION private.is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path TO '' AS $$ SELECT true $$;
-- Supabase's own function.
CREATE SCHEMA storage;
GRANT USAGE ON SCHEMA storage TO anon, authenticated;
CREATE FUNCTION storage.search(prefix text) RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER AS $$ SELECT prefix $$;
-- Not an exposed schema, although anon may execute it (a helper the policies call).
CREATE SCHEMA helpers;
GRANT USAGE ON SCHEMA helpers TO anon;
CREATE FUNCTION helpers.is_member(team bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT team > 0 $$;
-- A procedure: PostgREST calls functions only.
CREATE PROCEDURE public.rebuild()
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN END $$;
