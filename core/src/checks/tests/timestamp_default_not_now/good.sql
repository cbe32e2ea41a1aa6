-- Any default will do.
CREATE TABLE public.posts (id bigint PRIMARY KEY, created_at timestamptz DEFAULT now() NOT NULL, updated_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE public.comments (id bigint PRIMARY KEY, created_at timestamp DEFAULT timezone('utc'::text, now()), updated_at timestamptz DEFAULT clock_timestamp());
CREATE TABLE public.votes (id bigint PRIMARY KEY, created_at timestamptz DEFAULT statement_timestamp(), updated_at timestamptz DEFAULT '2020-01-01 00:00:00+00'::timestamptz);
-- Not a time type: an epoch number, written by the app.
CREATE TABLE public.legacy (id bigint PRIMARY KEY, created_at bigint);
-- Migration tools' tables are theirs.
CREATE TABLE public.ar_internal_metadata (key character varying PRIMARY KEY, value character varying, created_at timestamp(6) without time zone NOT NULL, updated_at timestamp(6) without time zone NOT NULL);
-- Other columns are not this rule's.
CREATE TABLE public.logins (id bigint PRIMARY KEY, signed_in_at timestamptz);
