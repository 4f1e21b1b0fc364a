-- Preview links: each one a copy of the draft it was made for, so that the link runs what QA saw
-- when they made it, until it expires. The link carries the id, the expiry and the hub's signature.
create table previews (
  id text primary key,
  account text not null references accounts (id),
  manifest jsonb not null,
  expires_at timestamptz not null,
  created_by text not null,
  created_at timestamptz not null default now()
);

-- The hub's own secrets (the preview links' HMAC key), made once by the first server that needs one.
create table hub_secrets (
  name text primary key,
  value text not null
);
