CREATE ROLE anon; CREATE ROLE authenticated;
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text, shared boolean DEFAULT false);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.notes TO authenticated;
CREATE TABLE public.open_data (id int); CREATE TABLE public.gated (id int); ALTER TABLE public.gated ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.open_data TO anon; GRANT SELECT ON public.gated TO anon; GRANT TRUNCATE ON public.gated TO anon; REVOKE SELECT ON public.notes FROM authenticated;
