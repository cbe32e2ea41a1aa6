CREATE TABLE public.schools (id bigint PRIMARY KEY, name text);
CREATE TABLE public.categories (id uuid PRIMARY KEY);
-- Against <table>.id: integer vs bigint, text vs uuid.
CREATE TABLE public.students (id bigint PRIMARY KEY, school_id integer, category_id text);
-- Against the table's own <x>_id key when it has no id column.
CREATE TABLE public.profile (profile_id uuid PRIMARY KEY);
CREATE TABLE public.posts (id bigint PRIMARY KEY, profile_id bigint);
-- Text types of different lengths: P2.
CREATE TABLE public.countries (id character varying(2) PRIMARY KEY);
CREATE TABLE public.cities (id bigint PRIMARY KEY, country_id character varying(3));
-- A tenant key naming no table: the odd one out among the tables that have it.
CREATE TABLE public.projects (id bigint PRIMARY KEY, tenant_id uuid);
CREATE TABLE public.tasks (id bigint PRIMARY KEY, tenant_id uuid);
CREATE TABLE public.comments (id bigint PRIMARY KEY, tenant_id text);
-- A table with neither id nor <x>_id: its <x>_id columns are compared with each other.
CREATE TABLE public.classes (code text PRIMARY KEY);
CREATE TABLE public.lessons (id bigint PRIMARY KEY, class_id text);
CREATE TABLE public.exams (id bigint PRIMARY KEY, class_id text);
CREATE TABLE public.grades (id bigint PRIMARY KEY, class_id integer);
