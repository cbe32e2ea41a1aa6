-- A UNIQUE constraint counts deleted users.
CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, deleted_at timestamptz);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_email_key UNIQUE (email);
-- A unique index, and one whose predicate is about something else.
CREATE TABLE public.projects (id bigint PRIMARY KEY, org_id bigint NOT NULL, slug text NOT NULL, archived boolean NOT NULL DEFAULT false, deleted_at timestamptz);
CREATE UNIQUE INDEX projects_org_slug ON public.projects USING btree (org_id, slug);
CREATE UNIQUE INDEX projects_live_slug ON public.projects USING btree (org_id, lower(slug)) WHERE (NOT archived);
-- deleted_at among the keys: NULLs are distinct, so live duplicates pass.
CREATE TABLE public.tags (id bigint PRIMARY KEY, name text NOT NULL, deleted_at timestamptz);
CREATE UNIQUE INDEX tags_name_deleted ON public.tags USING btree (name, deleted_at);
