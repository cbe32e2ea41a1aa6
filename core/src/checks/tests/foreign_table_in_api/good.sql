CREATE SCHEMA auth;
CREATE SCHEMA stripe;
CREATE FOREIGN DATA WRAPPER stripe_wrapper;
CREATE SERVER stripe_server FOREIGN DATA WRAPPER stripe_wrapper;
-- Not in an exposed schema.
CREATE FOREIGN TABLE stripe.customers (id text, email text) SERVER stripe_server;
GRANT USAGE ON SCHEMA stripe TO authenticated;
GRANT SELECT ON TABLE stripe.customers TO authenticated;
-- Exposed, but only the service role may read it.
CREATE FOREIGN TABLE public.stripe_invoices (id text, amount bigint) SERVER stripe_server;
GRANT SELECT ON TABLE public.stripe_invoices TO service_role;
-- Writable but not readable by the API roles: the rule is about reads.
CREATE FOREIGN TABLE public.stripe_events (id text, payload jsonb) SERVER stripe_server;
GRANT INSERT ON TABLE public.stripe_events TO authenticated;
-- An ordinary table is another rule's business.
CREATE TABLE public.notes (id bigint PRIMARY KEY);
GRANT SELECT ON TABLE public.notes TO anon;
