// One JSON request to the demo hub, as the hub page sends it: the tests of its
// API (health, preview, the publish flow) share it.

/** `call(method, path, body?, headers?)` on the hub at `base()`: its status, and its body (JSON when it is JSON). */
export const hubCall =
  (base: () => string) =>
  async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base()}${path}`, {
      method,
      headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
