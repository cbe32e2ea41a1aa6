-- A Supabase-style schema: the API roles can read public.profiles, and RLS is off.
CREATE SCHEMA auth;
CREATE TABLE public.profiles (id uuid PRIMARY KEY, name text);
GRANT SELECT ON public.profiles TO anon;
GRANT ALL ON public.profiles TO authenticated;
-- Reachable through PUBLIC too.
CREATE TABLE public.audit (id bigint);
GRANT SELECT ON public.audit TO PUBLIC;
