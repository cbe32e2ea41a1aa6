CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, raw_user_meta_data jsonb);
CREATE TABLE public.documents (id bigint PRIMARY KEY, team text, owner uuid);
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
-- user_metadata from auth.jwt(), even wrapped in a sub-select.
CREATE POLICY "team members read" ON public.documents FOR SELECT TO authenticated
    USING ((team = (((SELECT auth.jwt()) -> 'user_metadata'::text) ->> 'team'::text)));
-- From the request's JWT claims.
CREATE POLICY "admins insert" ON public.documents FOR INSERT TO authenticated
    WITH CHECK ((((current_setting('request.jwt.claims'::text, true))::jsonb -> 'user_metadata'::text) ->> 'role'::text) = 'admin'::text);
-- raw_user_meta_data from auth.users in USING, user_metadata in WITH CHECK.
CREATE POLICY "editors update" ON public.documents FOR UPDATE TO authenticated
    USING ((EXISTS (SELECT 1 FROM auth.users u WHERE ((u.id = auth.uid()) AND ((u.raw_user_meta_data ->> 'role'::text) = 'editor'::text)))))
    WITH CHECK ((((auth.jwt() -> 'user_metadata'::text) ->> 'role'::text) = 'editor'::text));
-- A policy the app wrote on Supabase's storage.objects (not in this dump).
CREATE POLICY "avatars by plan" ON storage.objects FOR INSERT TO authenticated
    WITH CHECK (((bucket_id = 'avatars'::text) AND (((auth.jwt() -> 'user_metadata'::text) ->> 'plan'::text) = 'pro'::text)));
