CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid NOT NULL, email character varying(255), phone text);
ALTER TABLE ONLY auth.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY auth.users ADD CONSTRAINT users_phone_key UNIQUE (phone);
-- The primary key, named or implied.
CREATE TABLE public.profiles (id uuid PRIMARY KEY, email text);
ALTER TABLE ONLY public.profiles ADD CONSTRAINT profiles_id_fkey FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE;
CREATE TABLE public.notes (id bigint PRIMARY KEY, user_id uuid);
ALTER TABLE ONLY public.notes ADD CONSTRAINT notes_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users;
-- A unique key outside auth is the app's own.
CREATE TABLE public.members (email text NOT NULL UNIQUE);
CREATE TABLE public.invites (id bigint PRIMARY KEY, email text);
ALTER TABLE ONLY public.invites ADD CONSTRAINT invites_email_fkey FOREIGN KEY (email) REFERENCES public.members(email);
