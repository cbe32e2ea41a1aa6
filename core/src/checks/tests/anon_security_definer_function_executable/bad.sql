CREATE SCHEMA auth;
-- Through PUBLIC's default EXECUTE, never revoked.
CREATE FUNCTION public.delete_user(target uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN DELETE FROM public.profiles WHERE id = target; END $$;
-- Granted to anon directly (PUBLIC revoked).
CREATE FUNCTION public.add_credits(n integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$ BEGIN UPDATE public.wallets SET credits = credits + n; END $$;
REVOKE ALL ON FUNCTION public.add_credits(n integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.add_credits(n integer) TO anon;
