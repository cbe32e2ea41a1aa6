CREATE SCHEMA auth;
CREATE SCHEMA private;
CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id uuid, total numeric);
-- Not in an exposed schema.
CREATE MATERIALIZED VIEW private.order_totals AS SELECT user_id, sum(total) AS total FROM public.orders GROUP BY user_id;
GRANT USAGE ON SCHEMA private TO authenticated;
GRANT SELECT ON TABLE private.order_totals TO authenticated;
-- Exposed, but no API role may read it.
CREATE MATERIALIZED VIEW public.order_count AS SELECT count(*) AS n FROM public.orders;
GRANT SELECT ON TABLE public.order_count TO service_role;
-- A plain view is another rule's business.
CREATE VIEW public.order_view AS SELECT id FROM public.orders;
GRANT SELECT ON TABLE public.order_view TO anon;
