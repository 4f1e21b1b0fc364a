/**
 * Why the demo refuses a request, or '': it answers only for its own address,
 * a Host of localhost, 127.0.0.1 or [::1] at its port (another name is DNS
 * rebinding), and, on a request that changes state, an Origin of that same
 * host (another is a cross-site request). Health beacons (POST /api/health) come
 * from the merchant's pages, on any origin: they change no state but counts,
 * and the collector checks each (demo/lib/health.mjs).
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
    !(req.method === 'POST' && req.url === '/api/health')
  )
    return `Origin ${JSON.stringify(origin)} may not change this hub`;
  return '';
};
