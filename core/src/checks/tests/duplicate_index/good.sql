CREATE TABLE public.accounts (id bigint NOT NULL, email text NOT NULL, org_id bigint, name text);
ALTER TABLE ONLY public.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);
-- Same columns in another order.
CREATE INDEX accounts_org_name ON public.accounts USING btree (org_id, name);
CREATE INDEX accounts_name_org ON public.accounts USING btree (name, org_id);
-- A longer key is not a duplicate (it may make the shorter one redundant, which is another question).
CREATE INDEX accounts_org ON public.accounts USING btree (org_id);
-- Another operator class, method, predicate, INCLUDE list or sort order.
CREATE INDEX accounts_email ON public.accounts USING btree (email);
CREATE INDEX accounts_email_pattern ON public.accounts USING btree (email text_pattern_ops);
CREATE INDEX accounts_email_hash ON public.accounts USING hash (email);
CREATE INDEX accounts_email_named ON public.accounts USING btree (email) WHERE name IS NOT NULL;
CREATE INDEX accounts_email_incl ON public.accounts USING btree (email) INCLUDE (name);
CREATE INDEX accounts_org_name_desc ON public.accounts USING btree (org_id, name DESC);
CREATE INDEX accounts_lower_email ON public.accounts USING btree (lower(email));
CREATE INDEX accounts_upper_email ON public.accounts USING btree (upper(email));
-- Partitions: each partition's copy of the parent's index is one index per table.
CREATE TABLE public.events (id bigint, at timestamp with time zone, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 (id bigint, at timestamp with time zone, kind text);
CREATE TABLE public.events_2025 (id bigint, at timestamp with time zone, kind text);
ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_kind ON ONLY public.events USING btree (kind);
CREATE INDEX events_2024_kind_idx ON public.events_2024 USING btree (kind);
CREATE INDEX events_2025_kind_idx ON public.events_2025 USING btree (kind);
ALTER INDEX public.events_kind ATTACH PARTITION public.events_2024_kind_idx;
ALTER INDEX public.events_kind ATTACH PARTITION public.events_2025_kind_idx;
-- The same index on two tables.
CREATE TABLE public.other (id bigint, org_id bigint);
CREATE INDEX other_org ON public.other USING btree (org_id);
