CREATE SCHEMA auth;
CREATE TABLE public.events (id bigint PRIMARY KEY, happened_at timestamp with time zone NOT NULL, logged_at timestamptz(3), day date, at_time time without time zone);
-- Supabase's own schemas and migration tools' tables are not the app's.
CREATE TABLE auth.audit_log_entries (id uuid PRIMARY KEY, created_at timestamp without time zone);
CREATE TABLE public.ar_internal_metadata (key character varying PRIMARY KEY, value character varying, created_at timestamp(6) without time zone NOT NULL, updated_at timestamp(6) without time zone NOT NULL);
