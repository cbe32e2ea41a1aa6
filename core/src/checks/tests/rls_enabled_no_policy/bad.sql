CREATE TABLE public.locked (id bigint);
ALTER TABLE public.locked ENABLE ROW LEVEL SECURITY;
