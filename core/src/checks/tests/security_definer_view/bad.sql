CREATE SCHEMA auth;
CREATE TABLE public.posts (id bigint PRIMARY KEY, author uuid, body text);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own posts" ON public.posts FOR SELECT TO authenticated USING (((SELECT auth.uid()) = author));
GRANT SELECT ON public.posts TO anon, authenticated;
-- P0: the policies on public.posts do not apply through the view.
CREATE VIEW public.post_feed AS SELECT posts.id, posts.body FROM public.posts;
GRANT SELECT ON public.post_feed TO anon, authenticated;
-- P0: a table the API roles cannot read themselves, reached through a security_invoker view.
CREATE TABLE public.audit_log (id bigint PRIMARY KEY, what text);
CREATE VIEW public.audit_inner WITH (security_invoker='true') AS SELECT audit_log.id, audit_log.what FROM public.audit_log;
CREATE VIEW public.audit_feed AS SELECT audit_inner.id FROM public.audit_inner;
GRANT SELECT ON public.audit_feed TO anon;
-- P0: what it reads is not in the snapshot (Supabase's storage schema is not dumped).
CREATE VIEW public.bucket_files AS SELECT objects.name FROM storage.objects;
GRANT SELECT ON public.bucket_files TO authenticated;
-- P2: no RLS on what it reads, and the roles can read it anyway.
CREATE TABLE public.tags (id bigint PRIMARY KEY, name text);
GRANT SELECT ON public.tags TO anon, authenticated;
CREATE VIEW public.tag_names AS SELECT tags.name FROM public.tags;
GRANT SELECT ON public.tag_names TO anon, authenticated;
