CREATE SCHEMA auth;
CREATE FOREIGN DATA WRAPPER stripe_wrapper;
CREATE SERVER stripe_server FOREIGN DATA WRAPPER stripe_wrapper;
CREATE FOREIGN TABLE public.stripe_customers (id text, email text) SERVER stripe_server;
GRANT SELECT ON TABLE public.stripe_customers TO anon;
GRANT SELECT, INSERT ON TABLE public.stripe_customers TO authenticated;
-- Column privileges count too.
CREATE FOREIGN TABLE public.stripe_invoices (id text, customer text, amount bigint) SERVER stripe_server;
GRANT SELECT (id, amount) ON TABLE public.stripe_invoices TO authenticated;
