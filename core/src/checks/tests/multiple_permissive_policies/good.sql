CREATE SCHEMA auth;
CREATE TABLE public.projects (id bigint PRIMARY KEY, owner uuid, is_public boolean);
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;
-- One permissive and one restrictive policy.
CREATE POLICY "own projects" ON public.projects FOR SELECT TO authenticated USING (((SELECT auth.uid()) = owner));
CREATE POLICY "not archived" ON public.projects AS RESTRICTIVE FOR SELECT TO authenticated USING ((NOT is_public));
-- Different commands.
CREATE POLICY "own insert" ON public.projects FOR INSERT TO authenticated WITH CHECK (((SELECT auth.uid()) = owner));
-- Different roles.
CREATE POLICY "anon read" ON public.projects FOR SELECT TO anon USING (is_public);
-- service_role bypasses RLS.
CREATE POLICY "service a" ON public.projects FOR DELETE TO service_role USING (true);
CREATE POLICY "service b" ON public.projects FOR DELETE TO service_role USING (is_public);
-- RLS disabled: the policies do nothing.
CREATE TABLE public.drafts (id bigint PRIMARY KEY, owner uuid);
CREATE POLICY "a" ON public.drafts FOR SELECT USING (true);
CREATE POLICY "b" ON public.drafts FOR SELECT USING ((owner IS NULL));
