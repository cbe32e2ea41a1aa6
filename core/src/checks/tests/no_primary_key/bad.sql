-- A unique index over NOT NULL columns could become the key.
CREATE TABLE public.settings (name text NOT NULL, scope text NOT NULL, value text);
CREATE UNIQUE INDEX settings_name_scope ON public.settings USING btree (name, scope);
-- A unique constraint could too (by a new index: USING INDEX refuses a constraint's index).
CREATE TABLE public.tags (slug text NOT NULL, label text);
ALTER TABLE ONLY public.tags ADD CONSTRAINT tags_slug_key UNIQUE (slug);
-- An id column without a key.
CREATE TABLE public.events (id bigint, kind text);
-- Nothing to build on; a unique index on a nullable column does not count.
CREATE TABLE public.audit_log (at timestamp with time zone, message text);
CREATE UNIQUE INDEX audit_log_at ON public.audit_log USING btree (at);
-- A partitioned table without a key (its partitions are not reported apart).
CREATE TABLE public.metrics (at timestamp with time zone NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE public.metrics_2024 (at timestamp with time zone NOT NULL, value numeric);
ALTER TABLE ONLY public.metrics ATTACH PARTITION public.metrics_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
