-- A natural key.
CREATE TABLE public.countries (code text PRIMARY KEY, name text);
-- A key named after its own table.
CREATE TABLE public.usage_audit (audit_id bigint PRIMARY KEY, note text);
-- An id column exists already: no rename to suggest.
CREATE TABLE public.legacy_accounts (uid text NOT NULL, id integer, name text);
ALTER TABLE ONLY public.legacy_accounts ADD CONSTRAINT legacy_accounts_pkey PRIMARY KEY (uid);
