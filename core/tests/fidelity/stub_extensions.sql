-- Stand-ins for what `supabase db dump` output expects from extensions and the platform that a
-- Debian postgresql-15 (with contrib) does not have. Written for drift_real.rs (the otu pair);
-- run in the database after ../shared/corpus/pg15-restored/stub_supabase_auth_storage.sql and
-- before the dump. Only what the dump's own objects need to be created is stubbed:
-- - pgvector's type `extensions.vector`, with a typmod (`vector(1024)`), so the `documents` table
--   and the `match_*` functions restore: a variable-length base type borrowing text's I/O and
--   varchar's typmod functions (superuser only; no operators, so no index over it restores);
-- - the publication `supabase_realtime`, which the platform creates and the dump only alters.
-- Not stubbed (their statements fail and nothing the drift test compares depends on them):
-- the extensions pg_net, pgroonga, pgsodium, pg_graphql, pgjwt, pgtap, supabase_vault, vector
-- themselves, the pgroonga and hnsw indexes, and the GRANTs on pgtap's functions.
CREATE TYPE extensions.vector;
CREATE FUNCTION extensions.vector_in(cstring) RETURNS extensions.vector
  LANGUAGE internal IMMUTABLE STRICT AS 'textin';
CREATE FUNCTION extensions.vector_out(extensions.vector) RETURNS cstring
  LANGUAGE internal IMMUTABLE STRICT AS 'textout';
CREATE FUNCTION extensions.vector_typmod_in(cstring[]) RETURNS integer
  LANGUAGE internal IMMUTABLE STRICT AS 'varchartypmodin';
CREATE FUNCTION extensions.vector_typmod_out(integer) RETURNS cstring
  LANGUAGE internal IMMUTABLE STRICT AS 'varchartypmodout';
CREATE TYPE extensions.vector (
  INPUT = extensions.vector_in, OUTPUT = extensions.vector_out,
  TYPMOD_IN = extensions.vector_typmod_in, TYPMOD_OUT = extensions.vector_typmod_out,
  INTERNALLENGTH = VARIABLE, STORAGE = extended
);
CREATE PUBLICATION supabase_realtime;
