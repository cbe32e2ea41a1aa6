CREATE SCHEMA auth;
-- RLS enabled and forced, policies for signed-in users only.
CREATE TABLE public.payments (id bigint PRIMARY KEY, user_id uuid, amount numeric);
ALTER TABLE public.payments OWNER TO postgres;
ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;
GRANT ALL ON TABLE public.payments TO anon;
GRANT ALL ON TABLE public.payments TO authenticated;
CREATE POLICY "own payments" ON public.payments FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
-- Without TO it applies to anon too, but needs a user identity anon does not have.
CREATE POLICY "own payments update" ON public.payments FOR UPDATE USING (user_id = auth.uid());
-- Only the owner holds privileges: there is no one to deny.
CREATE TABLE public.user_roles (user_id uuid NOT NULL, role text NOT NULL);
ALTER TABLE public.user_roles OWNER TO postgres;
-- Owned by a superuser, which bypasses RLS anyway: FORCE would change nothing.
CREATE TABLE public.billing_accounts (id bigint PRIMARY KEY);
ALTER TABLE public.billing_accounts OWNER TO supabase_admin;
ALTER TABLE public.billing_accounts ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON TABLE public.billing_accounts TO authenticated;
CREATE POLICY "members read" ON public.billing_accounts FOR SELECT TO authenticated USING (true);
-- Only the service role (BYPASSRLS) holds privileges.
CREATE TABLE public.invoices (id bigint PRIMARY KEY);
ALTER TABLE public.invoices OWNER TO postgres;
GRANT ALL ON TABLE public.invoices TO service_role;
-- Names that do not match.
CREATE TABLE public.invoices_archive (id bigint PRIMARY KEY);
GRANT SELECT ON TABLE public.invoices_archive TO anon;
CREATE TABLE public.roles (id bigint PRIMARY KEY);
GRANT SELECT ON TABLE public.roles TO anon;
-- Supabase's own schema.
CREATE TABLE auth.user_roles (id bigint PRIMARY KEY);
GRANT SELECT ON TABLE auth.user_roles TO anon;
