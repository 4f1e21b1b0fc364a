// The CSP conformance table (test/csp/cases.ts) in Chromium, Firefox and
// WebKit, case by case. Each engine sends all its traffic through a loopback
// proxy (proxy.ts) that answers for every host, so the cases keep their own
// host names, ports and redirects. The policy is a response header; the
// outcome comes from events (test/csp/probe.ts).
// Each case checks two things: the engine against the table's column for it,
// and our matcher's bit for that engine against the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, FIREFOX, WEBKIT } from '../../src/csp/match';
import { CASES, type Case, outcomeIn, SCRIPT_BODY } from '../csp/cases';
import { engines } from '../csp/engines';
import { FRAME_BODY, probe } from '../csp/probe';
import { type Engine, type EnginePage, launchEngine } from './drivers';
import { type Proxy as RouteProxy, startProxy } from './proxy';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64');
describe.each([
  ['chromium', CHROMIUM],
  ['firefox', FIREFOX],
  ['webkit', WEBKIT],
] as const)('CSP conformance in %s', (name, bit) => {
  let engine: Engine;
  let proxy: RouteProxy;
  let page: EnginePage;
  /** The case whose page was served last: its redirect, if it has one, answers next. */
  let current: Case | undefined;
  beforeAll(async () => {
    proxy = await startProxy((url, _req, res) => {
      const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
        res.end(body);
      };
      const n = /^\/__csp\/(\d+)$/.exec(url.pathname);
      if (n) {
        current = CASES[+n[1]];
        const c = current;
        const headers: Record<string, string> = { 'content-security-policy': c.policy };
        if (c.reportOnly) headers['content-security-policy-report-only'] = c.reportOnly;
        return send(200, 'text/html', '<!doctype html><title>csp</title><body></body>', headers);
      }
      if (current?.redirectTo && url.href === current.url)
        return send(302, 'text/plain', '', { location: current.redirectTo });
      const cors = { 'access-control-allow-origin': '*' };
      if (/\.js$/.test(url.pathname)) return send(200, 'text/javascript', SCRIPT_BODY, cors);
      if (/\.gif$/.test(url.pathname)) return send(200, 'image/gif', GIF, cors);
      if (/\.html$/.test(url.pathname)) return send(200, 'text/html', FRAME_BODY);
      return send(200, 'text/plain', 'ok', cors);
    });
    engine = await launchEngine(name, { proxy: proxy.port });
    page = await engine.page();
  }, 120_000);
  afterAll(async () => {
    await page?.close().catch(() => {});
    await engine?.close();
    await proxy?.close();
  });

  const runs = CASES.map((c, i) => [c.name, c, i] as const).filter(([, c]) => !c.notIn?.includes(name));
  it.each(runs)('%s', async (_, c: Case, i) => {
    await page.goto(`${c.origin ?? 'https://shop.example'}/__csp/${i}`);
    const actual = await page.run<string>(probe(c));
    expect(actual, `${name} vs the table`).toBe(outcomeIn(c, name));
    expect(engines(c) & bit ? 'allow' : 'block', `matcher vs ${name}`).toBe(actual);
  });
});
