CREATE SCHEMA auth;
CREATE TABLE public.projects (id bigint PRIMARY KEY, owner uuid, is_public boolean);
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;
CREATE TABLE public.members (project_id bigint, user_id uuid);
-- SELECT for authenticated: three policies; anon only has the first.
CREATE POLICY "public projects" ON public.projects FOR SELECT USING (is_public);
CREATE POLICY "own projects" ON public.projects TO authenticated USING (((SELECT auth.uid()) = owner));
CREATE POLICY "members read" ON public.projects FOR SELECT TO authenticated USING ((id IN (SELECT m.project_id FROM public.members m WHERE (m.user_id = (SELECT auth.uid())))));
-- UPDATE for authenticated: the FOR ALL policy and this one.
CREATE POLICY "owner edits" ON public.projects FOR UPDATE TO authenticated USING (((SELECT auth.uid()) = owner));
-- A role the policies name.
CREATE TABLE public.tasks (id bigint PRIMARY KEY, done boolean);
ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY "writers delete done" ON public.tasks FOR DELETE TO app_writer USING (done);
CREATE POLICY "writers delete old" ON public.tasks FOR DELETE TO app_writer USING ((id < 1000));
