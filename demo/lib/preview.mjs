// Preview links: QA runs the current draft on the merchant's real site, in
// their browser tab only. POST /api/preview (from the hub) keeps a copy of the
// draft and answers a link, `<merchant page>?utt-preview=<token>`; utt on that
// page (src/preview.ts) asks for `preview/<account>.json?token=<token>` beside
// its own files, and this server answers the draft only if the token is the
// hub's HMAC-SHA256 signature of that account, that preview and its expiry,
// and it has not expired. The browser is never trusted: a crafted or altered
// link gets a 403, an expired one a 410, and the draft is read by utt as any
// manifest (registry partners only, every identifier checked).
// The preview's panel sends its evidence back (POST `preview/<account>/evidence?token=<token>`,
// src/evidence.ts): the same token authenticates it, for that account and
// draft only; its page must be on the account's site; it is size-capped,
// rate-limited, and read as hostile input.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadSrc } from '../../build/load-src.mjs';
import { ACCOUNT } from './account.mjs';
import { HttpError, json, readCapped, readJson, reply, TYPES } from './http.mjs';
import { rateLimiter } from './rate-limit.mjs';

const { decode, MAX_EVIDENCE } = await loadSrc('src/evidence.ts');
const { MAX_INTEGRATIONS } = await loadSrc('src/manifest.ts');

/** A URL's origin, or '' (decode checked only its shape). */
const originOf = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};

/** A preview lasts an hour unless asked otherwise, at most a day. */
const DEFAULT_MINUTES = 60;
const MAX_MINUTES = 24 * 60;

/**
 * `state`: the store; `now()`: the clock of expiries and of the evidence's rate limit; `secret`: the signing
 * key (default: UTT_PREVIEW_SECRET, else one the hub makes once and keeps in its database); `limit`: evidence
 * per source ({ perSource, windowMs }); `site(req)`: the origin of the account's site, which a preview link
 * opens and evidence must come from (default: this server's, at the address the request names, where the demo
 * serves the merchant page).
 */
export function createPreview({
  state,
  site = (req) => `http://${req.headers.host}`,
  now = Date.now,
  secret = process.env.UTT_PREVIEW_SECRET,
  limit = { perSource: 30, windowMs: 60_000 },
}) {
  const allowed = rateLimiter({ ...limit, now });
  let key;
  const keyOf = async () =>
    (key ??= secret || (await state.secret('preview', () => randomBytes(32).toString('base64url'))));
  const sign = async (account, id, expires) =>
    createHmac('sha256', await keyOf())
      .update(`${account}.${id}.${expires}`)
      .digest('base64url');

  /** POST /api/preview { ids?, minutes?, by? }: the draft with `ids` turned on, kept, and its link. */
  const make = async (req) => {
    const body = await readJson(req, { optional: true });
    const ids = body.ids ?? [];
    if (!Array.isArray(ids) || ids.length > 100 || !ids.every((id) => typeof id === 'string'))
      throw new HttpError(400, 'ids: the integrations to run as if published');
    const minutes = body.minutes ?? DEFAULT_MINUTES;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES)
      throw new HttpError(400, `minutes: 1 to ${MAX_MINUTES}`);
    const draft = await state.manifest();
    for (const id of ids) {
      const found = draft.integrations.find((i) => i.id === id);
      if (!found) throw new HttpError(404, `no integration ${JSON.stringify(id)}`);
      found.status = 'enabled';
    }
    const id = randomBytes(12).toString('base64url');
    const expires = now() + minutes * 60_000;
    const by = (typeof body.by === 'string' && body.by.trim().slice(0, 100)) || 'QA (demo hub)';
    await state.savePreview(id, draft, new Date(expires), by);
    const token = `${id}.${expires}.${await sign(ACCOUNT, id, expires)}`;
    return {
      token,
      expires: new Date(expires).toISOString(),
      link: `${site(req)}/shop?utt-preview=${token}`,
    };
  };

  /** The preview the token signs for that account, or HttpError 403 (no signature of the hub's), 410 or 404. */
  const verified = async (account, token) => {
    const [id, expires, signature, extra] = (token ?? '').split('.');
    if (extra !== undefined || !id || !/^\d{1,15}$/.test(expires ?? '') || !signature)
      throw new HttpError(403, 'not a preview token');
    const expected = Buffer.from(await sign(account, id, expires));
    const given = Buffer.from(signature);
    // A signature for another account, preview or expiry, or none of the hub's: refused alike.
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new HttpError(403, 'the signature is not the hub’s for this account');
    if (Number(expires) <= now()) throw new HttpError(410, 'this preview has expired');
    const found = account === ACCOUNT && (await state.preview(id));
    if (!found) throw new HttpError(404, 'no such preview');
    return { id, ...found };
  };

  /**
   * POST preview/<account>/evidence?token=: the panel's evidence, kept for the checklist. Refused, and
   * counted by why: over the rate, not text/plain (a simple request; anything else is no panel of utt's),
   * over MAX_EVIDENCE, no valid token for this account, malformed, from a page off the account's site, or
   * naming an integration the draft lacks.
   */
  const evidence = async (req, account, token) => {
    if (!allowed(req.socket.remoteAddress ?? '')) throw new HttpError(429, 'rate-limited');
    if (!/^text\/plain\b/.test(req.headers['content-type'] || '')) throw new HttpError(415, 'content-type');
    const body = await readCapped(req, MAX_EVIDENCE);
    let preview;
    try {
      preview = await verified(account, token);
    } catch (err) {
      // The counts name why: a signature, an expiry, or a preview that is not there.
      throw err instanceof HttpError
        ? new HttpError(err.status, { 403: 'signature', 410: 'expired' }[err.status] ?? 'preview')
        : err;
    }
    const e = decode(body, MAX_INTEGRATIONS);
    if (typeof e === 'string') throw new HttpError(e === 'too-large' ? 413 : 400, e);
    // Evidence of the merchant's site only: a page elsewhere proves nothing of it.
    if (originOf(e.url) !== site(req)) throw new HttpError(422, 'site');
    // Only the draft's integrations, each with its own partner: evidence of the draft the token signs.
    const partners = new Map(preview.manifest.integrations.map((i) => [i.id, i.partner]));
    if (e.outcomes.some(([id, partner]) => partners.get(id) !== partner)) throw new HttpError(422, 'unknown-id');
    await state.saveEvidence(preview.id, e);
  };

  /** The routes, or undefined. */
  return async (req, pathname) => {
    const served = /^\/preview\/([\w-]{1,64})\.json$/.exec(pathname);
    const sent = /^\/preview\/([\w-]{1,64})\/evidence$/.exec(pathname);
    if (!served && !sent && pathname !== '/api/preview') return undefined;
    const token = new URL(req.url, 'http://localhost').searchParams.get('token');
    // The merchant's page reads these on any origin: never cached.
    const cors = { 'access-control-allow-origin': '*' };
    try {
      if (sent) {
        if (req.method !== 'POST') throw new HttpError(405, `no ${req.method} ${pathname}`);
        await evidence(req, sent[1], token);
        return { ...json(204), headers: cors };
      }
      if (served) {
        if (req.method !== 'GET') throw new HttpError(405, `no ${req.method} ${pathname}`);
        // A draft is the merchant's to see and QA's: never cached, readable by the merchant's page on any origin.
        return reply(200, TYPES['.json'], JSON.stringify((await verified(served[1], token)).manifest), cors);
      }
      if (req.method !== 'POST') throw new HttpError(405, `no ${req.method} ${pathname}`);
      return json(200, await make(req));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // Refused evidence is counted; the connection closes rather than read the rest of a huge body.
      if (sent) await state.evidenceRefused(err.message);
      return {
        ...json(err.status, { error: err.message }),
        headers: { ...cors, ...(sent && { connection: 'close' }) },
      };
    }
  };
}
