CREATE SCHEMA auth;
-- RLS on: fine.
CREATE TABLE public.profiles (id uuid PRIMARY KEY, name text);
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.profiles TO anon;
-- No API grant: not reachable.
CREATE TABLE public.internal (id bigint);
-- Not an exposed schema.
CREATE SCHEMA private;
CREATE TABLE private.t (id bigint);
GRANT SELECT ON private.t TO anon;
GRANT USAGE ON SCHEMA private TO anon;
