CREATE ROLE anon; CREATE ROLE authenticated;
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text, shared boolean DEFAULT false);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.notes TO authenticated;
CREATE POLICY own ON public.notes FOR SELECT TO authenticated USING (owner_id = current_setting('app.uid')::uuid AND shared);
