CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text, raw_user_meta_data jsonb);
-- Directly.
CREATE VIEW public.user_emails AS SELECT users.id, users.email FROM auth.users;
GRANT SELECT ON public.user_emails TO anon, authenticated;
-- Materialized.
CREATE MATERIALIZED VIEW public.user_directory AS SELECT users.id, (users.raw_user_meta_data ->> 'name'::text) AS name FROM auth.users;
GRANT SELECT ON public.user_directory TO authenticated;
-- Through a view in a private schema, granted to PUBLIC.
CREATE SCHEMA private;
CREATE VIEW private.all_users AS SELECT users.id, users.email FROM auth.users;
CREATE VIEW public.member_list AS SELECT all_users.id FROM private.all_users;
GRANT SELECT ON public.member_list TO PUBLIC;
-- security_invoker, but anon can read auth.users itself.
GRANT USAGE ON SCHEMA auth TO anon;
GRANT SELECT ON auth.users TO anon;
CREATE VIEW public.invoker_users WITH (security_invoker='true') AS SELECT users.id FROM auth.users;
GRANT SELECT ON public.invoker_users TO anon;
