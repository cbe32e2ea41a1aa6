CREATE SCHEMA auth;
-- Functions created from here on get no EXECUTE for PUBLIC.
ALTER DEFAULT PRIVILEGES REVOKE ALL ON FUNCTIONS FROM PUBLIC;
CREATE FUNCTION public.delete_user(target uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN DELETE FROM public.profiles WHERE id = target; END $$;
GRANT ALL ON FUNCTION public.delete_user(target uuid) TO service_role;
-- SECURITY INVOKER.
CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
GRANT ALL ON FUNCTION public.add(a integer, b integer) TO authenticated;
-- A trigger function cannot be called directly.
CREATE FUNCTION public.handle_new_user() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN INSERT INTO public.profiles (id) VALUES (NEW.id); RETURN NEW; END $$;
GRANT ALL ON FUNCTION public.handle_new_user() TO authenticated;
-- A private schema authenticated has no USAGE on.
CREATE SCHEMA private;
CREATE FUNCTION private.is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path TO '' AS $$ SELECT true $$;
GRANT ALL ON FUNCTION private.is_admin() TO authenticated;
-- Not an exposed schema, although authenticated may execute it (a helper the policies call).
CREATE SCHEMA helpers;
GRANT USAGE ON SCHEMA helpers TO authenticated;
CREATE FUNCTION helpers.is_member(team bigint) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$ SELECT team > 0 $$;
-- A procedure: PostgREST calls functions only.
CREATE PROCEDURE public.rebuild()
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN END $$;
GRANT ALL ON FUNCTION helpers.is_member(team bigint) TO authenticated;
GRANT ALL ON PROCEDURE public.rebuild() TO authenticated;
