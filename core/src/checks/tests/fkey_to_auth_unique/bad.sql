CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid NOT NULL, email character varying(255), phone text);
ALTER TABLE ONLY auth.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY auth.users ADD CONSTRAINT users_phone_key UNIQUE (phone);
CREATE TABLE public.contacts (id bigint PRIMARY KEY, phone text);
ALTER TABLE ONLY public.contacts ADD CONSTRAINT contacts_phone_fkey FOREIGN KEY (phone) REFERENCES auth.users(phone);
-- A table the dump does not define (supabase db dump leaves auth out): its key is assumed to be id.
CREATE TABLE public.logins (id bigint PRIMARY KEY, provider text, provider_id text);
ALTER TABLE ONLY public.logins ADD CONSTRAINT logins_identity_fkey FOREIGN KEY (provider_id, provider) REFERENCES auth.identities(provider_id, provider);
