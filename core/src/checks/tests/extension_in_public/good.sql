CREATE SCHEMA auth;
CREATE SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;
-- plpgsql lives in pg_catalog, and is never an API concern.
CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;
-- No schema named: the dump does not say where it went.
CREATE EXTENSION IF NOT EXISTS pgsodium;
