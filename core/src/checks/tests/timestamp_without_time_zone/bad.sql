CREATE TABLE public.events (
    id bigint PRIMARY KEY,
    happened_at timestamp without time zone NOT NULL,
    logged_at timestamp(3),
    reminders timestamp without time zone[]
);
-- Partitions get the column from the parent: reported once, on the parent.
CREATE TABLE public.measurements (id bigint NOT NULL, taken_at timestamp NOT NULL) PARTITION BY RANGE (taken_at);
CREATE TABLE public.measurements_2024 PARTITION OF public.measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- So does an inheritance child.
CREATE TABLE public.base_log (id bigint, logged timestamp);
CREATE TABLE public.child_log (extra text) INHERITS (public.base_log);
