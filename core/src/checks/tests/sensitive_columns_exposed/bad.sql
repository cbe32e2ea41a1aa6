-- A Supabase-style schema: tables without RLS that the API roles can read.
CREATE SCHEMA auth;
CREATE TABLE public.accounts (
    id uuid PRIMARY KEY,
    email text,
    password_hash text,
    api_key text,
    "Refresh-Token" text,
    is_secret boolean,
    password_changed_at timestamp with time zone
);
GRANT SELECT ON public.accounts TO anon, authenticated;
-- Column privileges: only the granted columns are exposed.
CREATE TABLE public.integrations (id bigint PRIMARY KEY, name text, access_token text, webhook_secret text);
GRANT SELECT (id, name, access_token) ON public.integrations TO authenticated;
-- Through PUBLIC.
CREATE TABLE public.patients (id bigint PRIMARY KEY, full_name text, ssn text);
GRANT SELECT ON public.patients TO PUBLIC;
