CREATE ROLE anon; CREATE ROLE authenticated;
CREATE TABLE public.notes (id bigint PRIMARY KEY, owner_id uuid NOT NULL, body text, shared boolean DEFAULT false);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.notes TO authenticated;
ALTER TABLE public.notes ALTER COLUMN body TYPE varchar(100); ALTER TABLE public.notes ALTER COLUMN body SET NOT NULL; ALTER TABLE public.notes ALTER COLUMN shared DROP DEFAULT; ALTER TABLE public.notes ADD COLUMN tenant_id uuid NOT NULL; ALTER TABLE public.notes DROP CONSTRAINT notes_pkey; ALTER TABLE public.notes ADD COLUMN rank int DEFAULT 0;
