CREATE SCHEMA auth;
CREATE SCHEMA finance;
-- Row level security disabled while authenticated holds privileges: P0.
CREATE TABLE public.payments (id bigint PRIMARY KEY, user_id uuid, amount numeric);
ALTER TABLE public.payments OWNER TO postgres;
GRANT SELECT ON TABLE public.payments TO authenticated;
-- A policy lets anon read every row (P0), and RLS is not forced for an owner without BYPASSRLS (P1).
CREATE TABLE public.user_roles (user_id uuid NOT NULL, role text NOT NULL);
ALTER TABLE public.user_roles OWNER TO postgres;
ALTER TABLE public.user_roles ENABLE ROW LEVEL SECURITY;
GRANT ALL ON TABLE public.user_roles TO anon;
GRANT ALL ON TABLE public.user_roles TO authenticated;
CREATE POLICY "anyone reads roles" ON public.user_roles FOR SELECT USING (true);
-- Forced, but a policy without TO still applies to anon, and shared invoices need no identity:
-- conditional rows, P1.
CREATE TABLE public.invoices (id bigint PRIMARY KEY, user_id uuid, shared boolean);
ALTER TABLE public.invoices OWNER TO postgres;
ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;
GRANT ALL ON TABLE public.invoices TO anon;
GRANT ALL ON TABLE public.invoices TO authenticated;
CREATE POLICY "own or shared invoices" ON public.invoices FOR SELECT USING (user_id = auth.uid() OR shared);
-- Matched by schema.
CREATE TABLE finance.ledger (id bigint PRIMARY KEY, amount numeric);
ALTER TABLE finance.ledger OWNER TO postgres;
GRANT SELECT ON TABLE finance.ledger TO reporting;
