CREATE TABLE public.users (id bigint PRIMARY KEY, email text);
-- A student's email is unique across every school: a UNIQUE constraint.
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id bigint NOT NULL, email text NOT NULL);
ALTER TABLE ONLY public.students ADD CONSTRAINT students_email_key UNIQUE (email);
-- A unique index on an expression.
CREATE TABLE public.teachers (id bigint PRIMARY KEY, school_id bigint NOT NULL, email text NOT NULL);
CREATE UNIQUE INDEX teachers_email_lower ON public.teachers USING btree (lower(email));
-- users is not tenant-scoped: a user can belong to one school only.
CREATE TABLE public.memberships (id bigint PRIMARY KEY, school_id bigint NOT NULL, user_id bigint NOT NULL REFERENCES public.users (id));
CREATE UNIQUE INDEX memberships_user ON public.memberships USING btree (user_id) WHERE (user_id IS NOT NULL);
