CREATE SCHEMA auth;
CREATE TABLE public.posts (id bigint PRIMARY KEY, author uuid, body text);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own posts" ON public.posts FOR SELECT TO authenticated USING (((SELECT auth.uid()) = author));
GRANT SELECT ON public.posts TO anon, authenticated;
-- security_invoker: the caller's rights and the policies apply.
CREATE VIEW public.post_feed WITH (security_invoker='true') AS SELECT posts.id, posts.body FROM public.posts;
GRANT SELECT ON public.post_feed TO anon, authenticated;
-- No API grant.
CREATE VIEW public.internal_feed AS SELECT posts.id FROM public.posts;
-- Not an exposed schema.
CREATE SCHEMA private;
CREATE VIEW private.feed AS SELECT posts.id FROM public.posts;
GRANT USAGE ON SCHEMA private TO anon;
GRANT SELECT ON private.feed TO anon;
-- Materialized views are materialized_view_in_api's.
CREATE MATERIALIZED VIEW public.post_counts AS SELECT count(*) AS n FROM public.posts;
GRANT SELECT ON public.post_counts TO anon;
