CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
-- security_invoker, and the API roles cannot read auth.users: the view fails instead of leaking.
CREATE VIEW public.invoker_users WITH (security_invoker='true') AS SELECT users.id FROM auth.users;
GRANT SELECT ON public.invoker_users TO anon, authenticated;
-- No API grant.
CREATE VIEW public.user_emails AS SELECT users.id, users.email FROM auth.users;
-- Not an exposed schema.
CREATE SCHEMA private;
CREATE VIEW private.emails AS SELECT users.email FROM auth.users;
GRANT USAGE ON SCHEMA private TO anon;
GRANT SELECT ON private.emails TO anon;
-- A table of the app's own named users, and a string that names auth.users.
CREATE TABLE public.users (id uuid PRIMARY KEY, name text);
CREATE VIEW public.names AS SELECT users.name, 'copied from auth.users'::text AS note FROM public.users;
GRANT SELECT ON public.names TO anon;
