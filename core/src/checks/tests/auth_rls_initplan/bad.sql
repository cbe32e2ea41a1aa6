CREATE SCHEMA auth;
CREATE TABLE public.todos (id bigint PRIMARY KEY, user_id uuid, org_id uuid);
ALTER TABLE public.todos ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own todos" ON public.todos FOR SELECT TO authenticated USING ((auth.uid() = user_id));
-- current_setting() bare, auth.uid() already wrapped.
CREATE POLICY "org todos" ON public.todos FOR INSERT TO authenticated
    WITH CHECK (((org_id = (current_setting('app.org_id'::text, true))::uuid) AND ((SELECT auth.uid()) IS NOT NULL)));
-- Both clauses.
CREATE POLICY "admins" ON public.todos FOR UPDATE TO authenticated
    USING (((auth.jwt() ->> 'role'::text) = 'admin'::text)) WITH CHECK ((auth.role() = 'authenticated'::text));
-- On Supabase's storage.objects (not in this dump).
CREATE POLICY "avatars" ON storage.objects FOR UPDATE TO authenticated
    USING (((bucket_id = 'avatars'::text) AND ((auth.uid())::text = owner_id)));
