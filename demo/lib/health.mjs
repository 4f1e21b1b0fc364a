// Health from real visitors: the collector of utt's beacons (POST /api/health,
// sent by utt.health.js; the wire format is src/health.ts), and what the hub
// shows of them (GET /api/health). The collector trusts nothing a beacon says:
// it reads at most MAX_BEACON bytes, decodes with the runtime's own codec,
// takes only a version the account published, counts only that version's
// enabled integrations (each with its own partner), and
// limits each source's rate. A refused beacon is answered 4xx and counted by
// why. A beacon only counts: it creates no integration, no version, no mail
// but the failure alert, which goes to the merchant at most once per version and integration.
import { loadSrc } from '../../build/load-src.mjs';
import { ACCOUNT, MERCHANT } from './account.mjs';
import { HttpError, json, readCapped } from './http.mjs';
import { message } from './outbox.mjs';
import { rateLimiter } from './rate-limit.mjs';
import { wordsFor } from './words.mjs';

const { decode, MAX_BEACON } = await loadSrc('src/health.ts');
const { MAX_INTEGRATIONS } = await loadSrc('src/manifest.ts');

/**
 * `state`: the store; `limit`: { perSource, windowMs }; `alert`: { min, rate } (demo/lib/store.mjs health);
 * `now()`: the rate limit's clock.
 */
export function createHealth({
  state,
  limit = { perSource: 120, windowMs: 60_000 },
  alert = { min: 20, rate: 0.2 },
  now = Date.now,
}) {
  const allowed = rateLimiter({ ...limit, now });

  /** The beacon's route: 204 once counted, or the 4xx of why it was refused (and counted). */
  const collect = async (req) => {
    const source = req.socket.remoteAddress ?? '';
    if (!allowed(source)) throw new HttpError(429, 'rate-limited');
    // A beacon is text/plain (sendBeacon with a string); anything else is no beacon of utt's.
    if (!/^text\/plain\b/.test(req.headers['content-type'] || '')) throw new HttpError(415, 'content-type');
    const beacon = decode(await readCapped(req, MAX_BEACON), MAX_INTEGRATIONS);
    if (typeof beacon === 'string') throw new HttpError(beacon === 'too-large' ? 413 : 400, beacon);
    if (beacon.account !== ACCOUNT) throw new HttpError(404, 'account');
    // The version a tag runs is one the hub published: its hash (the per-account tag's, or the `publish` the
    // hub writes into the manifest it serves the generic tag). Any other is forged, or from another hub.
    const running = await state.publishedAs(beacon.version);
    if (!running) throw new HttpError(404, 'version');
    const integrations = new Map(running.integrations.map((i) => [i.id, i]));
    // An id that version lacks, or with another partner: forged.
    if (beacon.outcomes.some(([id, partner]) => integrations.get(id)?.partner !== partner))
      throw new HttpError(422, 'unknown-id');
    // Only the version's live integrations count: a disabled one runs nowhere, whatever a beacon says of it.
    const outcomes = beacon.outcomes.filter(([id]) => integrations.get(id).status === 'enabled');
    if (!outcomes.length) return;
    const alerted = await state.health({ ...beacon, outcomes }, alert);
    if (alerted.length) await mailAlert(req, beacon, alerted);
  };

  /** The mail to the merchant: which integrations fail on this version, and the link that rolls back. */
  const mailAlert = async (req, beacon, ids) => {
    const t = wordsFor({ headers: {} });
    const versions = await state.versions();
    const at = versions.findIndex((v) => v.tag === beacon.version);
    const running = versions[at];
    // The version before it that ran something else.
    const before = at < 0 ? undefined : versions.slice(at + 1).find((v) => v.tag !== beacon.version);
    const hub = `http://${req.headers.host}/`;
    await state.mail(
      message({
        to: MERCHANT,
        subject: t('mail.healthSubject', { account: ACCOUNT, n: running?.number ?? beacon.version }),
        body: [
          t('mail.healthIntro', { n: running?.number ?? beacon.version, rate: Math.round(alert.rate * 100) }),
          '',
          ...ids,
          '',
          before
            ? t('mail.healthRollback', { n: before.number, link: `${hub}?restore=${before.number}#versions-section` })
            : t('mail.healthNoRollback', { link: `${hub}#versions-section` }),
          '',
          t('mail.signature'),
        ].join('\n'),
      }),
    );
  };

  /** /api/health (POST: a beacon; GET: the counts for the hub), or undefined. */
  return async (req, pathname) => {
    if (pathname !== '/api/health') return undefined;
    if (req.method === 'GET') return json(200, await view());
    try {
      if (req.method !== 'POST') throw new HttpError(405, `no ${req.method} ${pathname}`);
      await collect(req);
      return json(204);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      await state.refused(err.message);
      // Drains nothing: the connection closes rather than read the rest of a huge body.
      return { ...json(err.status, { error: err.message }), headers: { connection: 'close' } };
    }
  };

  /**
   * Per integration, version and engine: page views by status, the CSP fix last seen, the version's
   * number when it is a published one; and the refused beacons and alerts sent.
   */
  async function view() {
    const [{ rows, refused, alerts }, versions, partners] = await Promise.all([
      state.healthCounts(),
      state.versions(),
      state.partnersById(),
    ]);
    // A tag hash published more than once (a restore) is named by its latest version.
    const numbers = new Map(versions.toReversed().map((v) => [v.tag, v.number]));
    const groups = new Map();
    for (const r of rows) {
      const key = JSON.stringify([r.integration, r.version, r.engine]);
      let g = groups.get(key);
      if (!g) {
        g = {
          integration: r.integration,
          partner: partners.get(r.integration) ?? '',
          version: r.version,
          number: numbers.get(r.version) ?? null,
          engine: r.engine,
          views: 0,
          counts: {},
          fix: '',
        };
        groups.set(key, g);
      }
      g.views += r.count;
      g.counts[r.status] = r.count;
      if (r.status === 'blocked-csp') g.fix = r.reason;
    }
    return { rows: [...groups.values()], refused, alerts };
  }
}
