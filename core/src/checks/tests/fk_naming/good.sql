CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text UNIQUE);
-- A 1:1 extension keyed by the row it extends.
CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id), name text);
CREATE TABLE public.categories (id bigint PRIMARY KEY, parent_id bigint REFERENCES public.categories (id));
CREATE TABLE public.ci_builds (id bigint PRIMARY KEY);
CREATE TABLE public.courses (id bigint PRIMARY KEY);
CREATE TABLE public.posts (
    id bigint PRIMARY KEY,
    user_id uuid REFERENCES auth.users (id),
    author_user_id uuid REFERENCES auth.users (id),
    category_id bigint REFERENCES public.categories (id),
    build_id bigint REFERENCES public.ci_builds (id),
    source_course_id bigint REFERENCES public.courses (id),
    -- After the table profiles extends.
    editor_user_id uuid REFERENCES public.profiles (id),
    -- A referenced column other than id.
    user_email text REFERENCES auth.users (email),
    a bigint,
    b bigint
);
-- Composite keys are not judged.
CREATE TABLE public.pairs (a bigint, b bigint, PRIMARY KEY (a, b));
ALTER TABLE ONLY public.posts ADD CONSTRAINT posts_pair_fkey FOREIGN KEY (a, b) REFERENCES public.pairs (a, b);
