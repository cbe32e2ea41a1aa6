CREATE TABLE public.notes (id bigint, owner uuid);
CREATE POLICY "own notes" ON public.notes USING ((auth.uid() = owner));
CREATE POLICY "read" ON public.notes FOR SELECT USING (true);
