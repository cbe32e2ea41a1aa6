CREATE SCHEMA auth;
CREATE TABLE public.documents (id bigint PRIMARY KEY, owner_id uuid NOT NULL, title text);
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
-- WITH CHECK (true): a user can hand their document to anyone.
CREATE POLICY documents_update ON public.documents FOR UPDATE TO authenticated USING (owner_id = auth.uid()) WITH CHECK (true);
CREATE TABLE public.members (org_id uuid NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (org_id, user_id));
CREATE TABLE public.projects (id bigint PRIMARY KEY, org_id uuid NOT NULL, status text NOT NULL);
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;
-- USING ties the row to the user's organizations; WITH CHECK forgets them: move a project to another org.
CREATE POLICY projects_update ON public.projects FOR UPDATE TO authenticated
    USING (org_id IN (SELECT m.org_id FROM public.members m WHERE m.user_id = auth.uid()))
    WITH CHECK (status <> 'archived');
CREATE FUNCTION public.is_team_member(team bigint) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT false $$;
CREATE TABLE public.tasks (id bigint PRIMARY KEY, team_id bigint NOT NULL, assignee_id uuid, owner_id uuid);
ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;
-- FOR ALL: the team (passed to a function) and the assignee are both left out of WITH CHECK.
CREATE POLICY tasks_all ON public.tasks TO authenticated
    USING (public.is_team_member(team_id) AND assignee_id = auth.uid())
    WITH CHECK (owner_id = auth.uid());
