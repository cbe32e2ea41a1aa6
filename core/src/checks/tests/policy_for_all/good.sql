CREATE SCHEMA auth;
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_id uuid NOT NULL, published boolean NOT NULL DEFAULT false, tenant_id uuid);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
-- One policy per command.
CREATE POLICY posts_read ON public.posts FOR SELECT TO authenticated USING (published OR author_id = auth.uid());
CREATE POLICY posts_insert ON public.posts FOR INSERT TO authenticated WITH CHECK (author_id = auth.uid());
CREATE POLICY posts_update ON public.posts FOR UPDATE TO authenticated USING (author_id = auth.uid());
CREATE POLICY posts_delete ON public.posts FOR DELETE TO authenticated USING (author_id = auth.uid());
-- A restrictive guard is meant to cover every command.
CREATE POLICY posts_tenant ON public.posts AS RESTRICTIVE FOR ALL TO authenticated USING (tenant_id = ((SELECT auth.jwt()) ->> 'tenant_id')::uuid);
-- Only for a role that bypasses RLS: never consulted.
CREATE POLICY posts_service ON public.posts FOR ALL TO service_role USING (true);
-- Supabase's own schemas are not the app's.
CREATE TABLE auth.sessions (id uuid PRIMARY KEY, user_id uuid);
ALTER TABLE auth.sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_all ON auth.sessions USING (user_id = auth.uid());
