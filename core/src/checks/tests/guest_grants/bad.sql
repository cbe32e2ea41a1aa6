CREATE SCHEMA auth;
-- No row level security: P0 whatever the guest holds.
CREATE TABLE public.notes (id bigint PRIMARY KEY, body text);
GRANT SELECT, INSERT ON TABLE public.notes TO anon;
CREATE TABLE public.settings (id bigint PRIMARY KEY, name text, value text);
GRANT SELECT (name) ON TABLE public.settings TO PUBLIC;
-- Row level security, but a policy without TO (so TO public) admits anon: P1.
CREATE TABLE public.posts (id bigint PRIMARY KEY, published boolean, author_id uuid);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
GRANT ALL ON TABLE public.posts TO anon;
GRANT ALL ON TABLE public.posts TO authenticated;
CREATE POLICY "read published" ON public.posts FOR SELECT USING (published);
CREATE POLICY "authors or editors write" ON public.posts FOR UPDATE USING ((auth.uid() = author_id) OR (current_setting('app.editor', true) = 'on'));
-- PUBLIC may TRUNCATE, which row level security does not govern: P1.
CREATE TABLE public.logs (id bigint PRIMARY KEY, line text);
ALTER TABLE public.logs ENABLE ROW LEVEL SECURITY;
GRANT TRUNCATE ON TABLE public.logs TO PUBLIC;
-- Through a role anon is assumed to inherit from: revoke from that role.
CREATE TABLE public.catalog (id bigint PRIMARY KEY, title text);
GRANT SELECT ON TABLE public.catalog TO web_reader;
