-- regclass, regtype and regrole survive pg_upgrade (they are stored by name).
CREATE TABLE public.audit (id bigint PRIMARY KEY, rel regclass, typ pg_catalog.regtype, who regrole, fn text);
CREATE DOMAIN public.rel_ref AS regclass;
CREATE TABLE public.watches (id bigint PRIMARY KEY, rel public.rel_ref, fns text[]);
