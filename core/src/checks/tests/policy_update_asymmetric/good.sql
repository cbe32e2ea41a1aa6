CREATE SCHEMA auth;
CREATE TABLE public.shares (owner_id uuid NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (owner_id, user_id));
CREATE TABLE public.documents (id bigint PRIMARY KEY, owner_id uuid NOT NULL, status text NOT NULL, deleted_at timestamptz);
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
-- No WITH CHECK: PostgreSQL checks the new row against USING.
CREATE POLICY documents_update ON public.documents FOR UPDATE TO authenticated USING (owner_id = auth.uid());
-- Status is compared with a constant: publishing a draft is the point of the update.
CREATE POLICY documents_publish ON public.documents FOR UPDATE TO authenticated
    USING (owner_id = auth.uid() AND status = 'draft')
    WITH CHECK (owner_id = auth.uid());
-- WITH CHECK reads the owner (here through a sub-select of auth.uid()); deleted_at is only tested.
CREATE POLICY documents_soft_delete ON public.documents FOR UPDATE TO authenticated
    USING (owner_id = auth.uid() AND deleted_at IS NULL)
    WITH CHECK ((SELECT auth.uid()) = owner_id);
-- A correlated reference in WITH CHECK reads the column too.
CREATE POLICY documents_shared ON public.documents FOR UPDATE TO authenticated
    USING (owner_id = auth.uid())
    WITH CHECK (EXISTS (SELECT 1 FROM public.shares s WHERE s.owner_id = documents.owner_id AND s.user_id = auth.uid()));
-- USING ties the row to nothing: nothing to keep.
CREATE POLICY documents_open ON public.documents FOR UPDATE TO authenticated USING (auth.role() = 'authenticated') WITH CHECK (true);
-- Only for a role that bypasses RLS.
CREATE POLICY documents_service ON public.documents FOR UPDATE TO service_role USING (owner_id = auth.uid()) WITH CHECK (true);
-- Not an update policy.
CREATE POLICY documents_read ON public.documents FOR SELECT TO authenticated USING (owner_id = auth.uid());
