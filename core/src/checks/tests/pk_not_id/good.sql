CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
CREATE TABLE auth.identities (provider_id text PRIMARY KEY);
CREATE TABLE public.projects (id bigint PRIMARY KEY);
-- A join table's key is its pair of references.
CREATE TABLE public.project_members (project_id bigint REFERENCES public.projects (id), user_id uuid, PRIMARY KEY (project_id, user_id));
-- 1:1 extensions, with a declared key or named after another table.
CREATE TABLE public.project_settings (project_id bigint PRIMARY KEY REFERENCES public.projects (id), theme text);
CREATE TABLE public.lfs_objects (id bigint PRIMARY KEY);
CREATE TABLE public.lfs_object_states (lfs_object_id bigint PRIMARY KEY, state smallint);
-- In a Supabase project, user_id names auth.users even when the dump leaves it out.
CREATE TABLE public.usage (user_id uuid PRIMARY KEY, quota numeric);
-- No primary key at all (no_primary_key's business).
CREATE TABLE public.events (at timestamptz);
-- Migration tools' tables.
CREATE TABLE public.schema_migrations (version character varying PRIMARY KEY);
