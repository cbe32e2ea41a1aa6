CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id), name text);
-- A role name without the table: created_by → users.
CREATE TABLE public.posts (id bigint PRIMARY KEY, created_by uuid REFERENCES auth.users (id), owner_id uuid REFERENCES public.profiles (id));
-- A name that ends with part of the table: pricing_type → product_pricing_types.
CREATE TABLE public.product_pricing_types (id bigint PRIMARY KEY, name text);
CREATE TABLE public.products (id bigint PRIMARY KEY, pricing_type bigint REFERENCES public.product_pricing_types (id));
-- A referenced column other than id.
CREATE TABLE public.customers (id bigint PRIMARY KEY, email_address text UNIQUE);
CREATE TABLE public.orders (id bigint PRIMARY KEY, contact text REFERENCES public.customers (email_address));
-- The name the fix would give is taken: no fix.
CREATE TABLE public.messages (id bigint PRIMARY KEY, sender uuid REFERENCES auth.users (id), sender_user_id uuid);
