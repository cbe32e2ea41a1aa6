CREATE SCHEMA auth;
CREATE TABLE public.docs (id uuid PRIMARY KEY, owner_id uuid NOT NULL, slug text, is_public boolean NOT NULL DEFAULT false, author_id uuid, reviewer_id uuid);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
-- Indexed by a plain index, by the primary key, by a unique constraint.
CREATE INDEX docs_owner ON public.docs USING btree (owner_id, slug);
CREATE POLICY docs_read ON public.docs FOR SELECT TO authenticated USING (owner_id = (SELECT auth.uid()) OR id = (SELECT auth.uid()));
ALTER TABLE ONLY public.docs ADD CONSTRAINT docs_slug_key UNIQUE (slug);
CREATE POLICY docs_by_slug ON public.docs FOR SELECT TO anon USING (slug = current_setting('request.slug', true));
-- A boolean flag: an index would not help.
CREATE POLICY docs_public ON public.docs FOR SELECT TO anon USING (is_public = true);
-- WITH CHECK is checked on the new row, not scanned.
CREATE POLICY docs_insert ON public.docs FOR INSERT TO authenticated WITH CHECK (author_id = (SELECT auth.uid()));
-- Only for a role that bypasses RLS.
CREATE POLICY docs_service ON public.docs FOR SELECT TO service_role USING (reviewer_id = (SELECT auth.uid()));
-- RLS disabled: the policy does not run.
CREATE TABLE public.drafts (id bigint PRIMARY KEY, owner_id uuid);
CREATE POLICY drafts_read ON public.drafts FOR SELECT USING (owner_id = (SELECT auth.uid()));
