CREATE ROLE anon; CREATE ROLE authenticated;
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text, shared boolean DEFAULT false);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.notes TO authenticated;
CREATE VIEW public.shared_notes AS SELECT id, body FROM public.notes WHERE shared;
