// The hub's JSON API (/api/...): the registry's partners, the account's
// integrations with what QA needs to see, and every change (add, edit, remove,
// publish, unpublish), each one transaction of the store (demo/lib/store.mjs).
import { isDeepStrictEqual } from 'node:util';
import { inlineTag } from '../../build/account.mjs';
import { cspCheck } from '../../build/csp-check.mjs';
import { loadSrc } from '../../build/load-src.mjs';
import { validate } from '../../build/validate.mjs';
import { evidenceWords } from '../public/i18n.js';
import { ACCOUNT } from './account.mjs';
import { HttpError, json, readJson, requireJson } from './http.mjs';
import { message } from './outbox.mjs';
import { displayName, partnerInfo } from './partners.mjs';
import { PRESETS, presetNamed } from './presets.mjs';
import { diffManifests } from './versions.mjs';
import { wordsFor } from './words.mjs';

/** The runtime's own caps (src/manifest.ts): the hub never publishes a manifest utt would refuse. */
const { MAX_BYTES, MAX_INTEGRATIONS } = await loadSrc('src/manifest.ts');
const { LOADS } = await loadSrc('src/timing.ts');

/** An integration's own load timing: absent (the partner's), or one the runtime knows. */
const loadOf = (body) => {
  if (body.load === undefined || body.load === '') return undefined;
  if (!LOADS.includes(body.load)) throw new HttpError(400, `load: one of ${LOADS.join(', ')}`);
  return body.load;
};

/** Identifier values as the runtime compares what it loads: host names without case, integers by value. */
const canonical = (entry, values) =>
  Object.fromEntries(
    Object.entries(entry.identifiers)
      .filter(([name]) => values[name] !== undefined)
      .map(([name, schema]) => [
        name,
        schema.type === 'integer'
          ? Number(values[name])
          : schema.format === 'hostname'
            ? String(values[name]).toLowerCase()
            : String(values[name]),
      ]),
  );

/** Outcomes that mean the partner did not run on the page: evidence of them cannot confirm placement. */
const NOT_RUN = ['blocked-csp', 'failed', 'invalid', 'unknown-partner', 'duplicate'];

/** Who did it, as the request says (the demo has no sign-in): at most 100 characters. */
const who = (body) => (typeof body.by === 'string' && body.by.trim().slice(0, 100)) || 'QA (demo hub)';

/**
 * The API's routes. `registry`: partners by key; `state`: the store; `sitePreset()`: the site's CSP preset;
 * `tag`: the per-account tag (demo/lib/tag.mjs); `port`: the server's, for the CSP check's origin.
 */
export function createApi({ registry, state, sitePreset, tag, port }) {
  const entries = [...registry.values()];
  const partnerOf = (key) => {
    const entry = typeof key === 'string' && registry.get(key);
    if (!entry) throw new HttpError(400, `unknown partner: ${JSON.stringify(key)}`);
    return entry;
  };
  /** The runtime's check; host names are stored lower-case, as browsers compare them. */
  const checked = (entry, identifiers) => {
    const result = validate(entry, identifiers);
    if (!result.ok) throw new HttpError(400, 'invalid identifiers', { errors: result.errors });
    return canonical(entry, result.values);
  };
  const find = (manifest, id) => {
    const integration = manifest.integrations.find((i) => i.id === id);
    if (!integration) throw new HttpError(404, `no integration ${JSON.stringify(id)}`);
    return integration;
  };
  /** The same partner with the same identifiers (host names without case, numbers by value) would load it twice. */
  const refuseDuplicate = (t, manifest, entry, values, except) => {
    const same = manifest.integrations.find(
      (i) =>
        i.id !== except &&
        i.partner === entry.key &&
        JSON.stringify(canonical(entry, i.identifiers || {})) === JSON.stringify(canonical(entry, values)),
    );
    if (same)
      throw new HttpError(409, t('server.duplicate', { name: displayName(entry), id: same.id }), {
        existing: same.id,
      });
  };
  /**
   * The site's CSP, as the merchant page serves it (the preset last chosen there), against
   * this partner: the `utt csp-check` engine, the same as verify mode's. `t`: the request's words.
   */
  const siteCheck = (t, entry, identifiers, name) => {
    const preset = presetNamed(name) || PRESETS.none;
    const nonce = 'hub-check';
    const policy = preset.meta ? preset.meta(entries) : preset.header(entries, nonce);
    if (!policy) return { ok: true, preset: name, evidence: t('server.noCsp') };
    const { ok, results } = cspCheck({
      policies: [policy],
      origin: `http://localhost:${port}`,
      nonce,
      partner: { key: entry.key, values: identifiers || {} },
      registry: entries,
    });
    const failing = results.filter((r) => r.verdict !== 'allow');
    const fixOf = (r) => (r.fix?.expression ? t('server.fixAdd', r.fix) : '');
    return {
      ok,
      preset: name,
      evidence: failing.length
        ? failing
            .map((r) => {
              const line = { type: r.type, url: r.url, verdict: t(`verdict.${r.verdict}`), fix: fixOf(r) };
              return t(line.fix ? 'server.checkLineFix' : 'server.checkLine', line);
            })
            .join('; ')
        : t('server.allowed', { count: results.length }),
      fixes: failing.map(fixOf).filter(Boolean),
    };
  };
  /**
   * What a preview's evidence (demo/lib/store.mjs evidenceFor) says of the integration `id`, as a check
   * like siteCheck's: the page's real policy, not a preset. It passes when utt ran the partner there
   * (no failure status) and found no CSP fix to make. `t`: the request's words.
   */
  const evidenceCheck = (t, e, id) => {
    const [, , status, , fixes] = e.outcomes.find(([i]) => i === id);
    /** @type {Record<string, number>} */
    const counts = {};
    for (const [, , s] of e.outcomes) counts[s] = (counts[s] ?? 0) + 1;
    // The runtime's own fixes (src/evidence.ts), as it wrote them.
    const all = e.outcomes.flatMap(([i, , s, reason, f]) =>
      [...(s === 'blocked-csp' ? [reason] : []), ...f].map((x) => `${i} ${x}`),
    );
    return {
      ok: !NOT_RUN.includes(status) && !fixes.length,
      preset: t('server.seenOn', { url: e.url, engine: t(`engine.${e.engine}`) }),
      source: 'preview',
      seq: e.seq,
      url: e.url,
      engine: e.engine,
      at: e.at,
      csp: e.csp,
      status,
      // Codes and numbers, for the hub to write in its words; and the same in the request's words, for history.
      counts,
      fixes: all,
      evidence: evidenceWords(t, { counts, fixes: all }),
    };
  };
  /** The evidence a preview sent for the integration `found` as it stands, checked, or null. */
  const siteEvidence = async (t, found) => {
    const e = await state.evidenceFor(found.id, found);
    return e ? evidenceCheck(t, e, found.id) : null;
  };
  /** A mail to the partner's registry contact, for the outbox, in the words of `t`. */
  const mail = (t, entry, subject, lines) => {
    const name = displayName(entry);
    return message({
      to: `${name} <${entry.contact}>`,
      subject: t('mail.for', { subject: t(subject), name, account: ACCOUNT }),
      body: [t('mail.hello', { name }), '', ...lines, '', t('mail.signature')].join('\n'),
    });
  };
  /** For the partner's engineers: each identifier's label and its name in the registry. */
  const described = (entry, identifiers) =>
    Object.entries(identifiers).map(([k, v]) => `${entry.identifiers[k]?.label ?? k} (${k}): ${v}`);
  /** For the merchant's history: each identifier by its label. */
  const labelled = (entry, identifiers) =>
    Object.entries(identifiers)
      .map(([k, v]) => `${entry.identifiers[k]?.label ?? k}: ${v}`)
      .join(', ');
  /** Partners are written to only about integrations added with "Alert the partner" ticked. */
  const alerted = async (id) => ((await state.histories())[id] ?? []).some((h) => h.event === 'partner alerted');

  const api = {
    'GET /api/partners': () => entries.map(partnerInfo),
    // Each integration with what QA needs to see: would it load (the runtime's own check), what the
    // merchant page last reported, and its history.
    'GET /api/integrations': async () => {
      const [manifest, last, history] = await Promise.all([state.manifest(), state.lastOutcomes(), state.histories()]);
      return manifest.integrations.map((i) => {
        const entry = registry.get(i.partner);
        // A partner retired from the registry since: it loads nowhere, and the hub says what to do.
        const v = entry ? validate(entry, i.identifiers) : { ok: false, rules: { partner: 'not in the registry' } };
        return {
          ...i,
          ...(!entry && { unknownPartner: true }),
          valid: v.ok,
          problems: Object.entries(v.rules || {}).map(([k, rule]) => `${k}: ${rule}`),
          last: last[i.id] ?? null,
          history: history[i.id] ?? [],
        };
      });
    },
    'GET /api/outbox': () => state.mails(),
    'GET /api/versions': () => state.versions(),
    // ?from=<n>&to=<n|current>: what changed between two versions, or a version and the current manifest.
    'GET /api/versions/diff': async (req) => {
      const q = new URL(req.url, 'http://localhost').searchParams;
      const load = async (name) => {
        if (name === 'current') return state.manifest();
        const v = /^\d{1,9}$/.test(name ?? '') && (await state.version(Number(name)));
        if (!v) throw new HttpError(404, `no version ${JSON.stringify(name)}`);
        return v.manifest;
      };
      return diffManifests(await load(q.get('from')), await load(q.get('to')));
    },
    'GET /api/presets': () => Object.entries(PRESETS).map(([name, p]) => ({ name, label: p.label })),
    'GET /api/site': async () => ({ preset: await sitePreset() }),
    // The CSP the merchant's site serves, which the publish-time check uses: set by the merchant page's
    // Preset menu, as a same-origin JSON request (a GET from any site's <img> could not change it).
    'POST /api/site': async (req) => {
      const { preset } = await readJson(req);
      if (!presetNamed(preset)) throw new HttpError(400, `unknown csp preset: ${JSON.stringify(preset)}`);
      await state.setPreset(preset);
      return { preset };
    },
    // The merchant's three ways to embed utt, for the current publish, at the address the browser used.
    'GET /api/embed': async (req) => {
      const built = await tag.current();
      if (typeof built === 'string') throw new HttpError(500, built);
      const at = `http://${req.headers.host}`;
      return {
        version: built[1],
        generic: `<script async src="${at}/utt.js" data-account="${ACCOUNT}"></script>`,
        account: `<script async src="${at}/${ACCOUNT}.js"></script>`,
        inline: inlineTag(built[2], `${at}/`),
        // Opt-in: the collector of health beacons, and a tenth of page views.
        health: `data-health="${at}/api/health" data-sample="0.1"`,
      };
    },
    'POST /api/reset': () => state.resetAll(),
    'POST /api/validate': async (req) => {
      const body = await readJson(req);
      const { ok, errors, rules, url } = validate(partnerOf(body.partner), body.identifiers);
      return { ok, errors, rules, url };
    },
    // The merchant page tells the hub what utt reported there.
    'POST /api/outcomes': async (req) => {
      const body = await readJson(req);
      if (!Array.isArray(body.outcomes) || body.outcomes.length > MAX_INTEGRATIONS)
        throw new HttpError(400, 'outcomes: an array of utt outcomes');
      await state.outcomes(body.outcomes);
      return { status: 204 };
    },
    // Add: saved disabled until it is published from the checklist.
    'POST /api/integrations': async (req) => {
      const body = await readJson(req);
      const t = wordsFor(req);
      const entry = partnerOf(body.partner);
      const identifiers = checked(entry, body.identifiers);
      const load = loadOf(body);
      // The integration, its history and its mail: one transaction.
      return state.update(async (manifest, tx) => {
        if (manifest.integrations.length >= MAX_INTEGRATIONS)
          throw new HttpError(409, t('server.tooMany', { count: manifest.integrations.length }));
        refuseDuplicate(t, manifest, entry, identifiers);
        const integration = {
          id: await tx.nextId(),
          partner: entry.key,
          status: 'disabled',
          identifiers,
          ...(load && { load }),
        };
        manifest.integrations.push(integration);
        const size = JSON.stringify(manifest, null, 2).length;
        // Thrown before the transaction commits: nothing is saved, and the id is not used up.
        if (size > MAX_BYTES) throw new HttpError(409, t('server.tooBig', { size, max: MAX_BYTES }));
        await tx.record(integration.id, 'created', labelled(entry, identifiers));
        let email;
        if (body.alert === true) {
          const m = mail(t, entry, 'mail.addedSubject', [
            t('mail.added', { account: ACCOUNT, name: displayName(entry) }),
            '',
            t('mail.integration', { id: integration.id }),
            ...described(entry, identifiers),
            '',
            t('mail.notLiveYet'),
          ]);
          await tx.mail(m);
          email = m.file;
          await tx.record(integration.id, 'partner alerted', entry.contact);
        }
        return { status: 201, body: { integration, email } };
      });
    },
  };

  const apiById = {
    // The newest evidence a preview sent from the merchant's site for this integration as it stands (its
    // partner and identifiers), checked; and the evidence the hub refused, by why.
    'GET evidence': async (req, id) => {
      const found = find(await state.manifest(), id);
      return { evidence: await siteEvidence(wordsFor(req), found), refused: await state.evidenceRefusals() };
    },
    // Edit identifier: a live integration goes back to disabled until it is verified and published again.
    PUT: async (req, id) => {
      const body = await readJson(req);
      const t = wordsFor(req);
      const alert = await alerted(id);
      return state.update(async (manifest, tx) => {
        const found = find(manifest, id);
        const entry = partnerOf(found.partner);
        const identifiers = checked(entry, body.identifiers);
        refuseDuplicate(t, manifest, entry, identifiers, id);
        found.identifiers = identifiers;
        if ('load' in body) {
          const load = loadOf(body);
          if (load) found.load = load;
          else delete found.load;
        }
        const wasLive = found.status === 'enabled';
        found.status = 'disabled';
        await tx.record(id, 'edited', labelled(entry, identifiers));
        if (wasLive) {
          await tx.record(id, 'unpublished', t('server.pausedByEdit'));
          // It leaves the merchant's pages: that is a new version.
          tx.version({ by: who(body), note: t('server.notePaused', { id }), tag: tag.versionOf(manifest) });
        }
        if (alert)
          await tx.mail(
            mail(t, entry, 'mail.editedSubject', [
              t('mail.edited', { account: ACCOUNT, id }),
              ...described(entry, identifiers),
              '',
              t(wasLive ? 'mail.paused' : 'mail.notLive'),
            ]),
          );
        return found;
      });
    },
    DELETE: async (req, id) => {
      const t = wordsFor(req);
      const alert = await alerted(id);
      await state.update(async (manifest, tx) => {
        const found = find(manifest, id);
        manifest.integrations = manifest.integrations.filter((i) => i.id !== id);
        await tx.record(id, 'removed');
        if (found.status === 'enabled')
          tx.version({ by: who({}), note: t('server.noteRemoved', { id }), tag: tag.versionOf(manifest) });
        // A partner retired from the registry has no contact to tell.
        const entry = registry.get(found.partner);
        if (entry && alert)
          await tx.mail(mail(t, entry, 'mail.removedSubject', [t('mail.removed', { account: ACCOUNT, id })]));
      });
      return { status: 204 };
    },
    // Publish now: the runtime's identifier check, and the site's CSP. A failed CSP check needs
    // `{ anyway: "<reason>" }`, recorded in the history; Publish later needs nothing.
    'POST publish': async (req, id) => {
      const body = await readJson(req, { optional: true });
      const t = wordsFor(req);
      const anyway = typeof body.anyway === 'string' ? body.anyway.trim().slice(0, 500) : '';
      const preset = await sitePreset();
      const alert = await alerted(id);
      // The evidence is read before the transaction (PGlite has one connection), for the integration as it
      // is now; the transaction then checks that it has not changed since.
      let seen;
      if (body.evidence !== undefined) {
        const now = find(await state.manifest(), id);
        const check = await siteEvidence(t, now);
        seen = check && { check, vouched: [now.partner, now.identifiers] };
      }
      return state.update(async (manifest, tx) => {
        const found = find(manifest, id);
        const entry = partnerOf(found.partner);
        const v = validate(entry, found.identifiers);
        if (!v.ok)
          throw new HttpError(
            409,
            t('server.notPublishable', {
              id,
              problems: Object.entries(v.rules)
                .map(([k, rule]) => `${k}: ${rule}`)
                .join('; '),
            }),
          );
        // The preview's evidence from the merchant's site, when QA ticked the checklist from it: the very
        // evidence they saw, about the integration as it stands; else the site's preset.
        if (
          seen !== undefined &&
          (!seen ||
            seen.check.seq !== body.evidence ||
            !isDeepStrictEqual(seen.vouched, [found.partner, found.identifiers]))
        )
          throw new HttpError(409, t('server.evidenceStale', { id }));
        const check = seen ? seen.check : siteCheck(t, entry, found.identifiers, preset);
        if (!check.ok && !anyway)
          throw new HttpError(409, t('server.cspFailed', { preset: check.preset, evidence: check.evidence }), {
            check,
            anyway: 'required',
          });
        found.status = 'enabled';
        tx.version({
          by: who(body),
          note: check.ok ? t('server.notePublished', { id }) : t('server.notePublishedAnyway', { id, reason: anyway }),
          evidence: { [id]: { identifiers: 'pass', csp: check } },
          tag: tag.versionOf(manifest),
        });
        await tx.record(
          id,
          'verified',
          t('server.verified', {
            preset: check.preset,
            result: t(check.ok ? 'result.pass' : 'result.fail'),
            evidence: check.evidence,
          }),
        );
        await tx.record(
          id,
          check.ok ? 'published' : 'published anyway',
          check.ok ? '' : t('server.reason', { reason: anyway }),
        );
        if (alert)
          await tx.mail(
            mail(t, entry, 'mail.publishedSubject', [
              t('mail.published', { account: ACCOUNT, id }),
              ...described(entry, found.identifiers),
            ]),
          );
        // Published anyway: what the page's policy still refuses, and its fixes, for the hub to say so.
        return check.ok ? found : { ...found, blocked: { fixes: check.fixes } };
      });
    },
    'POST unpublish': async (req, id) => {
      const body = await readJson(req, { optional: true });
      const t = wordsFor(req);
      return state.update(async (manifest, tx) => {
        const found = find(manifest, id);
        const wasLive = found.status === 'enabled';
        found.status = 'disabled';
        await tx.record(id, 'unpublished');
        if (wasLive)
          tx.version({ by: who(body), note: t('server.noteUnpublished', { id }), tag: tag.versionOf(manifest) });
        return found;
      });
    },
  };

  /**
   * Restore: the version's manifest becomes the current one, as a new version, after the same checks as a
   * publish (each live integration's identifiers and the site's CSP; a failed CSP check needs `anyway`).
   */
  const restore = async (req, number) => {
    const body = await readJson(req, { optional: true });
    const t = wordsFor(req);
    const anyway = typeof body.anyway === 'string' ? body.anyway.trim().slice(0, 500) : '';
    const version = await state.version(number);
    if (!version) throw new HttpError(404, `no version ${number}`);
    const preset = await sitePreset();
    const evidence = {};
    for (const i of version.manifest.integrations) {
      const entry = registry.get(i.partner);
      if (i.status !== 'enabled' || !entry) continue;
      const v = validate(entry, i.identifiers);
      // Bad identifiers name no script to check: the tag reports that integration invalid, and loads nothing.
      evidence[i.id] = v.ok
        ? { identifiers: 'pass', csp: siteCheck(t, entry, i.identifiers, preset) }
        : { identifiers: 'fail' };
    }
    const failing = Object.entries(evidence).filter(([, e]) => e.csp && !e.csp.ok);
    if (failing.length && !anyway)
      throw new HttpError(
        409,
        t('server.restoreFailed', {
          preset,
          ids: failing.map(([id]) => id).join(', '),
          evidence: failing.map(([, e]) => e.csp.evidence).join('; '),
        }),
        { evidence, anyway: 'required' },
      );
    return state.update(async (manifest, tx) => {
      const changes = diffManifests(manifest, version.manifest);
      manifest.integrations = structuredClone(version.manifest.integrations);
      for (const id of [...changes.added, ...changes.removed].map((i) => i.id).concat(changes.changed.map((c) => c.id)))
        await tx.record(id, 'restored', t('server.version', { n: number }));
      tx.version({
        by: who(body),
        note: anyway
          ? t('server.noteRestoredAnyway', { n: number, reason: anyway })
          : t('server.noteRestored', { n: number }),
        evidence,
        tag: tag.versionOf(manifest),
      });
      return { restored: number, changes };
    });
  };

  /** /api/..., or undefined. */
  return async (req, pathname) => {
    if (!pathname.startsWith('/api/')) return undefined;
    try {
      const r = /^\/api\/versions\/(\d{1,9})\/restore$/.exec(pathname);
      if (r) {
        if (req.method !== 'POST') throw new HttpError(405, `no ${req.method} ${pathname}`);
        return json(200, await restore(req, Number(r[1])));
      }
      const m = /^\/api\/integrations\/([\w.:-]{1,64})(?:\/(publish|unpublish|evidence))?$/.exec(pathname);
      const handler = api[`${req.method} ${pathname}`] || (m && apiById[m[2] ? `${req.method} ${m[2]}` : req.method]);
      if (!handler) throw new HttpError(m || api[`GET ${pathname}`] ? 405 : 404, `no ${req.method} ${pathname}`);
      if (req.method !== 'GET') requireJson(req);
      const out = await handler(req, m?.[1]);
      if (
        out &&
        typeof out.status === 'number' &&
        Object.keys(out).length <= 2 &&
        ('body' in out || out.status === 204)
      )
        return json(out.status, out.body);
      return json(200, out);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return json(err.status, { error: err.message, ...err.extra });
    }
  };
}
