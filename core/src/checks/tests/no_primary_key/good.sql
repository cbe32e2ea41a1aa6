CREATE SCHEMA auth;
CREATE TABLE public.users (id uuid NOT NULL, email text);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
-- A partition whose parent has the key.
CREATE TABLE public.metrics (at timestamp with time zone NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE public.metrics_2024 (at timestamp with time zone NOT NULL, value numeric);
ALTER TABLE ONLY public.metrics ATTACH PARTITION public.metrics_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY public.metrics ADD CONSTRAINT metrics_pkey PRIMARY KEY (at);
ALTER TABLE ONLY public.metrics_2024 ADD CONSTRAINT metrics_2024_pkey PRIMARY KEY (at);
ALTER INDEX public.metrics_pkey ATTACH PARTITION public.metrics_2024_pkey;
-- Foreign tables cannot have a primary key.
CREATE FOREIGN DATA WRAPPER files;
CREATE SERVER files_server FOREIGN DATA WRAPPER files;
CREATE FOREIGN TABLE public.imported (line text) SERVER files_server;
-- Supabase's own schemas are not the app's.
CREATE TABLE auth.schema_migrations (version character varying(255) NOT NULL);
