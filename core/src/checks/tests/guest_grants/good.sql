CREATE SCHEMA auth;
CREATE SCHEMA private;
-- Supabase's default grant to anon, with row level security and policies for signed-in users only.
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_id uuid);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
GRANT ALL ON TABLE public.posts TO anon;
GRANT ALL ON TABLE public.posts TO authenticated;
CREATE POLICY "authors read" ON public.posts FOR SELECT TO authenticated USING (auth.uid() = author_id);
-- Policies without TO apply to anon, but these need a user identity anon does not have.
CREATE POLICY "authors write" ON public.posts FOR UPDATE USING ((SELECT auth.uid()) = author_id);
CREATE POLICY "authors add" ON public.posts FOR INSERT WITH CHECK ((auth.jwt() ->> 'sub')::uuid = author_id AND true);
CREATE POLICY "signed-in delete" ON public.posts FOR DELETE USING (auth.role() = 'authenticated');
-- A policy admitting anon for a command anon holds no privilege for.
CREATE TABLE public.drafts (id bigint PRIMARY KEY);
ALTER TABLE public.drafts ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON TABLE public.drafts TO anon;
CREATE POLICY "anyone deletes" ON public.drafts FOR DELETE USING (true);
-- Not a guest.
CREATE TABLE public.profiles (id uuid PRIMARY KEY);
GRANT SELECT ON TABLE public.profiles TO authenticated;
-- anon holds TRUNCATE, which the Data API cannot run.
CREATE TABLE public.events (id bigint PRIMARY KEY);
ALTER TABLE public.events ENABLE ROW LEVEL SECURITY;
GRANT TRUNCATE ON TABLE public.events TO anon;
-- A grant in a schema anon has no USAGE on is latent.
CREATE TABLE private.secrets (id bigint PRIMARY KEY);
GRANT SELECT ON TABLE private.secrets TO anon;
-- Supabase's own schema.
CREATE TABLE auth.audit_log_entries (id uuid PRIMARY KEY);
GRANT SELECT ON TABLE auth.audit_log_entries TO anon;
