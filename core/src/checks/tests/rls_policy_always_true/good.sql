CREATE SCHEMA auth;
CREATE TABLE public.comments (id bigint PRIMARY KEY, author uuid, body text);
ALTER TABLE public.comments ENABLE ROW LEVEL SECURITY;
GRANT ALL ON public.comments TO anon, authenticated;
-- Public read access is often meant.
CREATE POLICY "public read" ON public.comments FOR SELECT USING (true);
CREATE POLICY "own insert" ON public.comments FOR INSERT TO authenticated WITH CHECK (((SELECT auth.uid()) = author));
-- No WITH CHECK on INSERT: PostgreSQL lets no row in.
CREATE POLICY "no check" ON public.comments FOR INSERT TO anon;
-- Restrictive, and for a role that is not an API role.
CREATE POLICY "restrictive" ON public.comments AS RESTRICTIVE FOR DELETE TO authenticated USING (true);
CREATE POLICY "service" ON public.comments FOR UPDATE TO service_role USING (true);
-- Narrowed by a restrictive policy.
CREATE TABLE public.posts (id bigint PRIMARY KEY, author uuid);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
GRANT ALL ON public.posts TO authenticated;
CREATE POLICY "edit" ON public.posts FOR UPDATE TO authenticated USING (true);
CREATE POLICY "only own" ON public.posts AS RESTRICTIVE FOR UPDATE TO authenticated USING (((SELECT auth.uid()) = author));
-- UPDATE restricted by USING with WITH CHECK (true) is policy_update_asymmetric's.
CREATE POLICY "move" ON public.posts FOR UPDATE TO authenticated USING (((SELECT auth.uid()) = author)) WITH CHECK (true);
-- No privilege for the command.
CREATE TABLE public.archive (id bigint PRIMARY KEY);
ALTER TABLE public.archive ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.archive TO anon;
CREATE POLICY "anon deletes" ON public.archive FOR DELETE TO anon USING (true);
-- RLS disabled: rls_disabled_in_public's.
CREATE TABLE public.open (id bigint PRIMARY KEY);
GRANT ALL ON public.open TO anon;
CREATE POLICY "wide open" ON public.open FOR DELETE USING (true);
