CREATE TABLE public.teams (id bigint PRIMARY KEY, a int, b int, UNIQUE (a, b));
CREATE TABLE public.members (id bigint PRIMARY KEY, team_id bigint, a int, b int);
ALTER TABLE ONLY public.members ADD CONSTRAINT members_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);
CREATE INDEX members_team_id ON public.members (team_id);
-- Composite key covered in another order.
ALTER TABLE ONLY public.members ADD CONSTRAINT members_ab_fkey FOREIGN KEY (a, b) REFERENCES public.teams(a, b);
CREATE INDEX members_ba ON public.members (b, a, id);
