-- A Supabase-style schema.
CREATE SCHEMA auth;
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
-- No command named: FOR ALL, and no role named: PUBLIC.
CREATE POLICY "Owners manage notes" ON public.notes USING (owner_id = auth.uid());
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_id uuid NOT NULL, published boolean NOT NULL DEFAULT false);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
-- Anyone signed in may read published posts, and so may also update and delete them.
CREATE POLICY posts_all ON public.posts FOR ALL TO authenticated USING (published OR author_id = auth.uid()) WITH CHECK (author_id = auth.uid());
-- Only WITH CHECK: reported, with no split to suggest. service_role bypasses RLS, anon does not.
CREATE POLICY posts_guard ON public.posts FOR ALL TO anon, service_role WITH CHECK (false);
