CREATE SCHEMA auth;
CREATE TABLE public.todos (id bigint PRIMARY KEY, user_id uuid, org_id uuid, due timestamp with time zone);
ALTER TABLE public.todos ENABLE ROW LEVEL SECURITY;
CREATE TABLE public.members (org_id uuid, user_id uuid);
CREATE POLICY "own todos" ON public.todos FOR SELECT TO authenticated USING (((SELECT auth.uid()) = user_id));
CREATE POLICY "org todos" ON public.todos FOR INSERT TO authenticated
    WITH CHECK ((org_id = ((SELECT current_setting('app.org_id'::text, true)))::uuid));
-- Inside a sub-select.
CREATE POLICY "members" ON public.todos FOR DELETE TO authenticated
    USING ((EXISTS (SELECT 1 FROM public.members m WHERE ((m.org_id = todos.org_id) AND (m.user_id = auth.uid())))));
-- Not one of the per-statement functions.
CREATE POLICY "not overdue" ON public.todos FOR UPDATE TO authenticated USING ((due > now()));
-- RLS disabled: the policy never runs.
CREATE TABLE public.drafts (id bigint PRIMARY KEY, user_id uuid);
CREATE POLICY "own drafts" ON public.drafts FOR SELECT USING ((auth.uid() = user_id));
