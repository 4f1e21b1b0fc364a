/** The routes any origin may POST to (see `foreign`). */
const ANY_ORIGIN = /^\/(api\/health|preview\/[\w-]{1,64}\/evidence)(\?|$)/;

/**
 * Why the demo refuses a request, or '': it answers only for its own address,
 * a Host of localhost, 127.0.0.1 or [::1] at its port (another name is DNS
 * rebinding), and, on a request that changes state, an Origin of that same
 * host (another is a cross-site request). Health beacons (POST /api/health) and a
 * preview's evidence (POST /preview/<account>/evidence) come from the merchant's
 * pages, on any origin: they change no state but counts and evidence, and their
 * routes check each (demo/lib/health.mjs, demo/lib/preview.mjs).
 */
export const foreign = (req, port) => {
  const host = req.headers.host || '';
  const own = new RegExp(`^(localhost|127\\.0\\.0\\.1|\\[::1\\]):${port}$`);
  if (!own.test(host)) return `Host ${JSON.stringify(host)} is not this server`;
  const origin = req.headers.origin;
  if (
    req.method !== 'GET' &&
    req.method !== 'HEAD' &&
    origin !== undefined &&
    origin !== `http://${host}` &&
    !(req.method === 'POST' && ANY_ORIGIN.test(req.url || ''))
  )
    return `Origin ${JSON.stringify(origin)} may not change this hub`;
  return '';
};
