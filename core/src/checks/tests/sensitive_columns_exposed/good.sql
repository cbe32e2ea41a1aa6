CREATE SCHEMA auth;
-- RLS on.
CREATE TABLE public.accounts (id uuid PRIMARY KEY, password_hash text);
ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.accounts TO anon, authenticated;
-- No API grant.
CREATE TABLE public.vault_items (id bigint PRIMARY KEY, secret text);
-- Only harmless columns granted.
CREATE TABLE public.integrations (id bigint PRIMARY KEY, name text, access_token text);
GRANT SELECT (id, name) ON public.integrations TO authenticated;
-- Names that only look alike, and types that hold no secret.
CREATE TABLE public.settings (id bigint PRIMARY KEY, is_secret boolean, password_changed_at timestamp with time zone, token_count integer, tokens_used integer, secretary text);
GRANT SELECT ON public.settings TO anon;
-- Not an exposed schema.
CREATE SCHEMA private;
CREATE TABLE private.keys (id bigint PRIMARY KEY, api_key text);
GRANT USAGE ON SCHEMA private TO anon;
GRANT SELECT ON private.keys TO anon;
