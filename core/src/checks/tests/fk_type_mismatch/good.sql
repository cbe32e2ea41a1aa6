CREATE TABLE public.schools (id bigint PRIMARY KEY);
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id bigint);
ALTER TABLE ONLY public.students ADD CONSTRAINT students_school_id_fkey FOREIGN KEY (school_id) REFERENCES public.schools(id);
