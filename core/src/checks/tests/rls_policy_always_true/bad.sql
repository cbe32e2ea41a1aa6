CREATE SCHEMA auth;
CREATE TABLE public.comments (id bigint PRIMARY KEY, author uuid, body text);
ALTER TABLE public.comments ENABLE ROW LEVEL SECURITY;
GRANT ALL ON public.comments TO anon, authenticated;
-- For PUBLIC: both API roles.
CREATE POLICY "anyone inserts" ON public.comments FOR INSERT WITH CHECK (true);
CREATE POLICY "signed in edit" ON public.comments FOR UPDATE TO authenticated USING (true);
CREATE POLICY "cleanup" ON public.comments FOR DELETE TO anon, authenticated USING ((1 = 1));
-- FOR ALL: what each role may do depends on its privileges.
CREATE TABLE public.votes (id bigint PRIMARY KEY, voter uuid);
ALTER TABLE public.votes ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON public.votes TO anon;
GRANT ALL ON public.votes TO authenticated;
CREATE POLICY "all access" ON public.votes TO anon, authenticated USING (true) WITH CHECK (true);
-- FOR ALL with a real USING but WITH CHECK (true): any row may be inserted.
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner uuid);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
GRANT ALL ON public.notes TO authenticated;
CREATE POLICY "own notes" ON public.notes TO authenticated USING (((SELECT auth.uid()) = owner)) WITH CHECK (true);
-- On Supabase's storage.objects (not in this dump).
CREATE POLICY "anyone uploads" ON storage.objects FOR INSERT TO anon WITH CHECK (true);
