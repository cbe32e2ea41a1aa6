CREATE SCHEMA auth;
CREATE TABLE public.team_members (team_id bigint NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (team_id, user_id));
CREATE TABLE public.docs (id bigint PRIMARY KEY, owner_id uuid NOT NULL, created_at timestamptz, team_id bigint);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
-- Two policies filter on owner_id (one qualifies it by the table); the index does not lead with it.
CREATE POLICY docs_read ON public.docs FOR SELECT TO authenticated USING (owner_id = (SELECT auth.uid()));
CREATE POLICY docs_delete ON public.docs FOR DELETE TO authenticated USING (docs.owner_id = (SELECT auth.uid()));
CREATE INDEX docs_created_owner ON public.docs USING btree (created_at, owner_id);
-- The left side of IN (SELECT ...) is compared too; a partial index does not count.
CREATE POLICY docs_team ON public.docs FOR SELECT TO authenticated
    USING (team_id IN (SELECT m.team_id FROM public.team_members m WHERE m.user_id = (SELECT auth.uid())));
CREATE INDEX docs_team_recent ON public.docs USING btree (team_id) WHERE (created_at > '2024-01-01'::timestamptz);
