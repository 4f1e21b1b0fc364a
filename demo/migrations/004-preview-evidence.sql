-- A preview's evidence: what utt saw running the preview's draft on the merchant's real site, sent by
-- its panel (src/evidence.ts) and authenticated by the preview's signed token. The checklist's
-- placement and CSP items can be ticked from it.
create table preview_evidence (
  seq bigserial primary key,
  preview text not null references previews (id),
  at timestamptz not null default now(),
  url text not null,
  engine text not null,
  -- { header: [policy], meta: [policy] }, as the page had them (nonces left out).
  csp jsonb not null,
  -- [[id, partner, status, reason, [CSP fix]]]
  outcomes jsonb not null
);

-- Evidence the hub refused, by why (signature, expired, too-large, json, unknown-id, rate-limited...).
create table preview_refused (
  why text primary key,
  count bigint not null default 0
);
