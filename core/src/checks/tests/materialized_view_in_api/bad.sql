CREATE SCHEMA auth;
CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id uuid, total numeric);
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
-- Granted to both API roles.
CREATE MATERIALIZED VIEW public.order_totals AS SELECT user_id, sum(total) AS total FROM public.orders GROUP BY user_id;
GRANT SELECT ON TABLE public.order_totals TO anon;
GRANT ALL ON TABLE public.order_totals TO authenticated;
-- Granted to PUBLIC, so to every API role.
CREATE MATERIALIZED VIEW public.order_count AS SELECT count(*) AS n FROM public.orders;
GRANT SELECT ON TABLE public.order_count TO PUBLIC;
