-- The hub's tables. One row per account; integrations in manifest order; the
-- history and the outbox only grow; versions are immutable published manifests.

create table accounts (
  id text primary key,
  -- The number of the next integration id (int_<n>): ids are never reused, even after a removal.
  next_id integer not null,
  -- The CSP preset the merchant's site serves (demo/lib/presets.mjs), which the publish check uses.
  preset text not null default 'none'
);

create table integrations (
  account text not null references accounts (id),
  id text not null,
  -- The integration's place in the published manifest.
  position integer not null,
  partner text not null,
  status text not null check (status in ('enabled', 'disabled')),
  identifiers jsonb not null default '{}',
  load text,
  primary key (account, id)
);

create table history (
  seq bigserial primary key,
  account text not null references accounts (id),
  integration text not null,
  at timestamptz not null default now(),
  event text not null,
  detail text not null default ''
);
create index history_by_integration on history (account, integration, seq);

-- What the merchant page last reported for each integration.
create table outcomes (
  account text not null references accounts (id),
  integration text not null,
  status text not null,
  reason text not null default '',
  at timestamptz not null default now(),
  primary key (account, integration)
);

-- "Alert the partner by e-mail": RFC 5322 messages, kept instead of sent.
create table outbox (
  seq bigserial primary key,
  account text not null references accounts (id),
  file text not null unique,
  recipient text not null,
  subject text not null,
  date text not null,
  raw text not null
);

-- Every published manifest, never changed once written: who published it, when, why, and the checks' evidence.
create table versions (
  account text not null references accounts (id),
  number integer not null,
  manifest jsonb not null,
  -- The per-account tag's publish hash (build/account.mjs compileAccount).
  tag text not null default '',
  created_at timestamptz not null default now(),
  created_by text not null,
  note text not null default '',
  evidence jsonb not null default '{}',
  primary key (account, number)
);

-- A version is a record of what went live: no update, no delete.
create function versions_immutable() returns trigger language plpgsql as $$ begin raise exception 'versions are immutable'; end $$;
create trigger versions_immutable before update or delete on versions for each row execute function versions_immutable();
