CREATE SCHEMA auth;
CREATE TABLE public.memberships (school_id bigint NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (school_id, user_id));
CREATE TABLE public.members (org_id uuid NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (org_id, user_id));
-- The tenant key is the left side of IN (SELECT ...).
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id bigint NOT NULL, name text);
ALTER TABLE public.students ENABLE ROW LEVEL SECURITY;
CREATE POLICY students_read ON public.students FOR SELECT TO authenticated
    USING (school_id IN (SELECT m.school_id FROM public.memberships m WHERE m.user_id = (SELECT auth.uid())));
-- A correlated reference inside a sub-select reads it too.
CREATE TABLE public.courses (id bigint PRIMARY KEY, org_id uuid NOT NULL, title text);
ALTER TABLE public.courses ENABLE ROW LEVEL SECURITY;
CREATE POLICY courses_read ON public.courses FOR SELECT TO authenticated
    USING (EXISTS (SELECT 1 FROM public.members m WHERE m.org_id = courses.org_id AND m.user_id = auth.uid()));
-- A restrictive guard reads it while the permissive policy does not.
CREATE TABLE public.boards (id bigint PRIMARY KEY, workspace_id uuid NOT NULL, owner_id uuid);
ALTER TABLE public.boards ENABLE ROW LEVEL SECURITY;
CREATE POLICY boards_owner ON public.boards TO authenticated USING (owner_id = auth.uid());
CREATE POLICY boards_workspace ON public.boards AS RESTRICTIVE TO authenticated USING (workspace_id = ((SELECT auth.jwt()) ->> 'workspace_id')::uuid);
-- RLS and no policy: everyone but the owner is denied (rls_enabled_no_policy's business).
CREATE TABLE public.audit (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
ALTER TABLE public.audit ENABLE ROW LEVEL SECURITY;
-- Policies only for a role that bypasses RLS: nobody else gets a row.
CREATE TABLE public.jobs (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
ALTER TABLE public.jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY jobs_service ON public.jobs TO service_role USING (true);
-- No RLS, but no API role can reach it.
CREATE TABLE public.billing_runs (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
-- No RLS, reachable, but not in an exposed schema.
CREATE SCHEMA private;
CREATE TABLE private.exports (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
GRANT USAGE ON SCHEMA private TO anon;
GRANT SELECT ON private.exports TO anon;
-- No tenant key.
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner_id uuid);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON public.notes USING (owner_id = auth.uid());
