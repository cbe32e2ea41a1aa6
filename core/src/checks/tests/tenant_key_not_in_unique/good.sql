CREATE TABLE public.schools (id bigint PRIMARY KEY, name text UNIQUE);
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id bigint NOT NULL REFERENCES public.schools (id), email text NOT NULL, api_token text, external_uuid uuid);
-- The tenant key is part of the key.
ALTER TABLE ONLY public.students ADD CONSTRAINT students_school_email_key UNIQUE (school_id, email);
-- Contains the whole primary key: unique anyway.
CREATE UNIQUE INDEX students_id_email ON public.students USING btree (id, email);
-- Credentials and generated identifiers are unique everywhere.
CREATE UNIQUE INDEX students_api_token ON public.students USING btree (api_token);
CREATE UNIQUE INDEX students_external_uuid ON public.students USING btree (external_uuid);
-- An expression reading the tenant key.
CREATE UNIQUE INDEX students_school_lower_email ON public.students USING btree (school_id, lower(email));
-- Global rows (no tenant) unique among themselves.
CREATE TABLE public.templates (id bigint PRIMARY KEY, school_id bigint, name text NOT NULL);
CREATE UNIQUE INDEX templates_global_name ON public.templates USING btree (name) WHERE (school_id IS NULL);
-- Scoped through a tenant-scoped parent: by foreign key, or by the column's name.
CREATE TABLE public.courses (id bigint PRIMARY KEY, school_id bigint NOT NULL, code text NOT NULL);
CREATE UNIQUE INDEX courses_school_code ON public.courses USING btree (school_id, code);
CREATE TABLE public.enrollments (id bigint PRIMARY KEY, school_id bigint NOT NULL, student_id bigint NOT NULL REFERENCES public.students (id), course_id bigint NOT NULL, seat integer NOT NULL);
CREATE UNIQUE INDEX enrollments_student_course ON public.enrollments USING btree (student_id, course_id);
CREATE UNIQUE INDEX enrollments_course_seat ON public.enrollments USING btree (course_id, seat);
-- A table without a tenant key (schools.name above) is not considered.
