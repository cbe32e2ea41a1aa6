-- Both columns without a default: one finding for the table.
CREATE TABLE public.posts (id bigint PRIMARY KEY, title text, created_at timestamp with time zone NOT NULL, updated_at timestamp with time zone NOT NULL);
-- A date column gets CURRENT_DATE.
CREATE TABLE public.comments (id bigint PRIMARY KEY, created_at date, updated_at timestamptz DEFAULT now());
