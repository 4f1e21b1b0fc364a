-- Health from real visitors: the collector's counts of utt's beacons (src/health.ts), per integration,
-- version running (the per-account tag's publish hash; '' for the generic tag), engine family and status.
create table health (
  account text not null references accounts (id),
  integration text not null,
  version text not null,
  engine text not null,
  status text not null,
  -- The last reason seen: for blocked-csp, the fix.
  reason text not null default '',
  count bigint not null default 0,
  primary key (account, integration, version, engine, status)
);

-- Beacons the collector refused, by why (too-large, json, unknown-id, rate-limited...): a forged
-- account is no account, so these are counted for the whole collector.
create table health_refused (
  why text primary key,
  count bigint not null default 0
);

-- The failure alerts sent to the merchant: at most one per version and integration.
create table health_alerts (
  account text not null references accounts (id),
  version text not null,
  integration text not null,
  at timestamptz not null default now(),
  primary key (account, version, integration)
);
