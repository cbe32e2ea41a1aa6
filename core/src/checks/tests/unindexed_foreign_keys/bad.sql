CREATE TABLE public.teams (id bigint PRIMARY KEY);
CREATE TABLE public.members (id bigint PRIMARY KEY, team_id bigint, org_id bigint);
ALTER TABLE ONLY public.members ADD CONSTRAINT members_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);
-- An index that does not LEAD with team_id does not count.
CREATE INDEX members_org_team ON public.members (org_id, team_id);
-- Nor does a partial one.
CREATE INDEX members_team_partial ON public.members (team_id) WHERE org_id IS NOT NULL;
