CREATE SCHEMA auth;
CREATE TABLE public.documents (id bigint PRIMARY KEY, team text, owner uuid, user_metadata jsonb);
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
-- app_metadata only the service role can change.
CREATE POLICY "team members read" ON public.documents FOR SELECT TO authenticated
    USING ((team = (((SELECT auth.jwt()) -> 'app_metadata'::text) ->> 'team'::text)));
CREATE POLICY "own rows" ON public.documents FOR UPDATE TO authenticated USING (((SELECT auth.uid()) = owner));
-- The table's own column named user_metadata, not the JWT's.
CREATE POLICY "unlocked" ON public.documents FOR DELETE TO authenticated USING (((user_metadata ->> 'locked'::text) IS NULL));
