CREATE TABLE public.notes (id bigint, owner uuid);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own notes" ON public.notes USING ((auth.uid() = owner));
CREATE TABLE public.plain (id bigint);
