CREATE TABLE public.hooks (id bigint PRIMARY KEY, handler regproc, handlers pg_catalog.regprocedure[], dictionary regconfig, ns regnamespace);
-- Through a domain and a composite type (no fix: the type has to change).
CREATE DOMAIN public.fn_ref AS regprocedure;
CREATE TABLE public.jobs (id bigint PRIMARY KEY, fn public.fn_ref);
CREATE TYPE public.op_pair AS (op regoper, note text);
CREATE TABLE public.rules (id bigint PRIMARY KEY, pair public.op_pair);
-- A partition repeats its parent's columns: only the parent is reported.
CREATE TABLE public.calls (at date NOT NULL, fn regproc) PARTITION BY RANGE (at);
CREATE TABLE public.calls_2024 (at date NOT NULL, fn regproc);
ALTER TABLE ONLY public.calls ATTACH PARTITION public.calls_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
