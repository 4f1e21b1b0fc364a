// What every route of the demo server shares: content types, the error a
// handler throws for a clean 4xx, JSON bodies, and the reply a route returns.

export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

export class HttpError extends Error {
  /** `extra`: more fields of the JSON error body (`errors`, `existing`, `check`). */
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

/**
 * What a route answers: the server sends it, `no-store` unless `headers` say otherwise.
 * @typedef {{ status: number, type: string, body: string | Buffer, headers?: Record<string, string> }} Reply
 */

/** @returns {Reply} */
export const reply = (status, type, body, headers = {}) => ({ status, type, body, headers });
export const text = (status, message) => reply(status, 'text/plain', `${message}\n`);
export const json = (status, body) => reply(status, TYPES['.json'], status === 204 ? '' : JSON.stringify(body));

/** Sends a route's reply. */
export const send = (res, { status, type, body, headers = {} }) =>
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);

/** A request that changes state must be JSON: a cross-site form can send only three other types. */
export const requireJson = (req) => {
  if (!/^application\/json\b/.test(req.headers['content-type'] || ''))
    throw new HttpError(415, 'send the request as application/json');
};

/** The request's JSON object body, at most 64 KB; `optional`: an empty body reads as {}. */
export async function readJson(req, { optional = false } = {}) {
  requireJson(req);
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65536) throw new HttpError(413, 'request body over 64 KB');
    chunks.push(chunk);
  }
  try {
    const body = Buffer.concat(chunks).toString('utf8');
    if (optional && !body) return {};
    const parsed = JSON.parse(body || 'null');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed;
  } catch (err) {
    throw new HttpError(400, `the body is not a JSON object: ${err.message}`);
  }
}

/**
 * A request's body as text, or HttpError 413 `too-large` as soon as it passes `max` bytes (the rest is not
 * read): for the bodies that come from any origin, beacons and a preview's evidence.
 */
export async function readCapped(req, max) {
  if (Number(req.headers['content-length']) > max) throw new HttpError(413, 'too-large');
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, 'too-large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
