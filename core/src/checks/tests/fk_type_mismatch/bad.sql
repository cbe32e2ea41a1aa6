CREATE TABLE public.schools (id bigint PRIMARY KEY, code character varying(20) UNIQUE);
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id integer, school_code text);
ALTER TABLE ONLY public.students ADD CONSTRAINT students_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);
ALTER TABLE ONLY public.students ADD CONSTRAINT students_school_code_fkey FOREIGN KEY (school_code) REFERENCES public.schools(code);
