CREATE TABLE public.schools (id bigint PRIMARY KEY, name text);
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id bigint);
-- A foreign key column is fk_type_mismatch's business.
CREATE TABLE public.teachers (id bigint PRIMARY KEY);
CREATE TABLE public.assignments (id bigint PRIMARY KEY, teacher_id integer);
ALTER TABLE ONLY public.assignments ADD CONSTRAINT assignments_teacher_id_fkey FOREIGN KEY (teacher_id) REFERENCES public.teachers(id);
-- Names that name no table (and are no tenant key) are not compared.
CREATE TABLE public.folders (id bigint PRIMARY KEY, parent_id bigint, external_id text);
CREATE TABLE public.files (id uuid PRIMARY KEY, parent_id uuid, external_id bigint, user_id uuid);
-- A table's own <x>_id column naming itself.
CREATE TABLE public.nodes (id bigint PRIMARY KEY, node_id integer);
-- Tenant keys that agree.
CREATE TABLE public.projects (id bigint PRIMARY KEY, tenant_id uuid);
CREATE TABLE public.tasks (id bigint PRIMARY KEY, tenant_id uuid);
-- A partition repeats its parent's columns.
CREATE TABLE public.visits (at date NOT NULL, school_id bigint) PARTITION BY RANGE (at);
CREATE TABLE public.visits_2024 (at date NOT NULL, school_id bigint);
ALTER TABLE ONLY public.visits ATTACH PARTITION public.visits_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- A text column named like an integer key holds another system's id (Slack's team ids).
CREATE TABLE public.teams (id bigint PRIMARY KEY);
CREATE TABLE public.slack_links (id bigint PRIMARY KEY, team_id character varying NOT NULL);
