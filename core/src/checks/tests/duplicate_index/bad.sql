CREATE TABLE public.accounts (id bigint NOT NULL, email text NOT NULL, org_id bigint, name text);
ALTER TABLE ONLY public.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);
-- A plain index repeating the primary key's.
CREATE INDEX accounts_id_idx ON public.accounts USING btree (id);
-- Two plain indexes with the same keys and predicate, written differently.
CREATE INDEX accounts_org_name ON public.accounts USING btree (org_id, name) WHERE org_id IS NOT NULL;
CREATE INDEX accounts_org_name_2 ON public.accounts (org_id, name) WHERE (org_id IS NOT NULL);
-- A unique index repeating a unique constraint's.
ALTER TABLE ONLY public.accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
CREATE UNIQUE INDEX accounts_email_uidx ON public.accounts USING btree (email);
-- Expression indexes.
CREATE INDEX accounts_lower_email ON public.accounts USING btree (lower(email));
CREATE INDEX accounts_lower_email_2 ON public.accounts (LOWER(email));
-- Two constraints on the same column.
CREATE TABLE public.codes (code text NOT NULL);
ALTER TABLE ONLY public.codes ADD CONSTRAINT codes_pkey PRIMARY KEY (code);
ALTER TABLE ONLY public.codes ADD CONSTRAINT codes_code_key UNIQUE (code);
-- A partitioned table: the parent's duplicate is reported (plain DROP INDEX), the partition's
-- attached copy is not, a local index on the partition repeating an attached one is.
CREATE TABLE public.events (id bigint, at timestamp with time zone, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 (id bigint, at timestamp with time zone, kind text);
ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_kind ON ONLY public.events USING btree (kind);
CREATE INDEX events_kind_again ON ONLY public.events USING btree (kind);
CREATE INDEX events_2024_kind_idx ON public.events_2024 USING btree (kind);
CREATE INDEX events_2024_kind_idx1 ON public.events_2024 USING btree (kind);
ALTER INDEX public.events_kind ATTACH PARTITION public.events_2024_kind_idx;
ALTER INDEX public.events_kind_again ATTACH PARTITION public.events_2024_kind_idx1;
CREATE INDEX events_2024_kind_local ON public.events_2024 USING btree (kind);
-- A materialized view.
CREATE MATERIALIZED VIEW public.account_names AS SELECT id, name FROM public.accounts;
CREATE UNIQUE INDEX account_names_id ON public.account_names USING btree (id);
CREATE INDEX account_names_id_2 ON public.account_names USING btree (id);
