CREATE TABLE public.open (id bigint);
ALTER TABLE public.open ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON public.open FOR SELECT USING (true);
CREATE TABLE public.no_rls (id bigint);
