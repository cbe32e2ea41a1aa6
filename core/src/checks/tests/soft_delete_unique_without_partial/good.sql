CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, api_key text, public_id uuid NOT NULL, deleted_at timestamptz);
-- Live rows only.
CREATE UNIQUE INDEX users_email_live ON public.users USING btree (email) WHERE (deleted_at IS NULL);
-- Generated identifiers and credentials are never reused.
CREATE UNIQUE INDEX users_api_key ON public.users USING btree (api_key);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_public_id_key UNIQUE (public_id);
-- deleted_at among the keys with NULLS NOT DISTINCT: one live row per name.
CREATE TABLE public.tags (id bigint PRIMARY KEY, name text NOT NULL, deleted_at timestamptz);
CREATE UNIQUE INDEX tags_name_deleted ON public.tags USING btree (name, deleted_at) NULLS NOT DISTINCT;
-- No deleted_at column: not soft-deleted.
CREATE TABLE public.countries (id bigint PRIMARY KEY, code text NOT NULL UNIQUE);
