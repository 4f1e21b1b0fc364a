// Preview links: QA runs the current draft on the merchant's real site, in
// their browser only. POST /api/preview (from the hub) keeps a copy of the
// draft and answers a link, `<merchant page>?utt-preview=<token>`; utt on that
// page (src/preview.ts) asks for `preview/<account>.json?token=<token>` beside
// its own files, and this server answers the draft only if the token is the
// hub's HMAC-SHA256 signature of that account, that preview and its expiry,
// and it has not expired. The browser is never trusted: a crafted or altered
// link gets a 403, an expired one a 410, and the draft is read by utt as any
// manifest (registry partners only, every identifier checked).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ACCOUNT } from './account.mjs';
import { HttpError, json, readJson, reply, TYPES } from './http.mjs';

/** A preview lasts an hour unless asked otherwise, at most a day. */
const DEFAULT_MINUTES = 60;
const MAX_MINUTES = 24 * 60;

/**
 * `state`: the store; `now()`: the clock of expiries; `secret`: the signing key (default: UTT_PREVIEW_SECRET,
 * else one the hub makes once and keeps in its database).
 */
export function createPreview({ state, now = Date.now, secret = process.env.UTT_PREVIEW_SECRET }) {
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
      link: `http://${req.headers.host}/shop?utt-preview=${token}`,
    };
  };

  /** GET /preview/<account>.json?token=: the draft the token signs for that account, or why not. */
  const serve = async (account, token) => {
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
    return found.manifest;
  };

  /** The routes, or undefined. */
  return async (req, pathname) => {
    const served = /^\/preview\/([\w-]{1,64})\.json$/.exec(pathname);
    if (!served && pathname !== '/api/preview') return undefined;
    try {
      if (served) {
        if (req.method !== 'GET') throw new HttpError(405, `no ${req.method} ${pathname}`);
        const token = new URL(req.url, 'http://localhost').searchParams.get('token');
        // A draft is the merchant's to see and QA's: never cached, readable by the merchant's page on any origin.
        return reply(200, TYPES['.json'], JSON.stringify(await serve(served[1], token)), {
          'access-control-allow-origin': '*',
        });
      }
      if (req.method !== 'POST') throw new HttpError(405, `no ${req.method} ${pathname}`);
      return json(200, await make(req));
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return { ...json(err.status, { error: err.message }), headers: { 'access-control-allow-origin': '*' } };
    }
  };
}
