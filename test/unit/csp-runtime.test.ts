import { describe, expect, it } from 'vitest';
import { fakeClock, integration as int, manifestOf, page } from './page';

fakeClock();

const NW = int('nw', 'northwind-analytics', { domain: 'shop.example' });
const BJ = int('bj', 'bluejay-ads', { accountId: 482913 });
const NW_URL = 'https://cdn.northwind.example/na.js?d=shop.example';
const BJ_URL = 'https://tags.bluejay.example/v2/482913/tag.js';

const meta = (content: string) => (w: Window & typeof globalThis) => {
  const m = w.document.createElement('meta');
  m.httpEquiv = 'Content-Security-Policy';
  m.content = content;
  w.document.head.append(m);
};

/** A securitypolicyviolation as the browser dispatches it (jsdom has no such event class). */
const violation = (w: Window & typeof globalThis, init: Record<string, string>) => {
  const e = new w.Event('securitypolicyviolation', { bubbles: true });
  Object.assign(e, { disposition: 'enforce', ...init });
  w.document.dispatchEvent(e);
};

describe('the CSP stage in the runtime', () => {
  it('does not inject a partner a meta policy blocks, and names the directive and source to add', async () => {
    const p = page({
      manifest: manifestOf(NW, BJ),
      before: meta(
        'script-src https://cdn.utt.example https://cdn.northwind.example; connect-src https://collect.northwind.example',
      ),
    });
    await p.settled();
    p.fire(NW_URL, 'load');
    const [outcomes] = await p.report();
    expect(outcomes).toEqual([
      { id: 'nw', partner: 'northwind-analytics', status: 'loaded', reason: '' },
      {
        id: 'bj',
        partner: 'bluejay-ads',
        status: 'blocked-csp',
        reason: 'script-src: add https://tags.bluejay.example',
      },
    ]);
    expect(p.injected().map((s) => s.src)).toEqual([NW_URL]);
  });

  it('warns for each declared need the policy refuses, with its fix, and still loads the script', async () => {
    const p = page({
      manifest: manifestOf(NW, BJ),
      before: meta("default-src 'self'; script-src https:"),
    });
    await p.settled();
    const [outcomes] = await new Promise<any>((resolve) => {
      p.fire(NW_URL, 'load');
      p.fire(BJ_URL, 'load');
      p.report().then(resolve);
    });
    expect(outcomes.map((o: any) => [o.id, o.status, o.warnings])).toEqual([
      ['nw', 'loaded', ['default-src: add https://collect.northwind.example']],
      ['bj', 'loaded', ['default-src: add https://px.bluejay.example']],
    ]);
  });

  it("checks every meta policy, and lets utt's nonce through a nonce-only one", async () => {
    const blocked = page({
      manifest: manifestOf(NW),
      before: meta("script-src 'nonce-n1'"),
    });
    expect((await blocked.report())[0][0]).toMatchObject({
      status: 'blocked-csp',
      reason: 'script-src: add https://cdn.northwind.example',
    });
    const allowed = page({
      attrs: { 'data-account': 'A12345', nonce: 'n1' },
      manifest: manifestOf(NW),
      before: meta("script-src 'nonce-n1'; connect-src *"),
    });
    await allowed.settled();
    expect(allowed.injected().map((s) => s.src)).toEqual([NW_URL]);
    const strict = page({
      manifest: manifestOf(NW),
      before: (w) => {
        meta("script-src 'nonce-n1' 'strict-dynamic'")(w);
        meta('script-src https://cdn.bluejay.example')(w);
      },
    });
    // The second policy also applies: every policy must allow.
    expect((await strict.report())[0][0]).toMatchObject({ status: 'blocked-csp' });
  });

  it('takes a header policy violation as blocked-csp for the partner it concerns', async () => {
    const p = page({ manifest: manifestOf(NW, BJ) });
    await p.settled();
    violation(p.w, {
      blockedURI: BJ_URL,
      effectiveDirective: 'script-src-elem',
      originalPolicy: "default-src 'self'; script-src 'self' https://cdn.northwind.example",
    });
    p.fire(BJ_URL, 'error');
    p.fire(NW_URL, 'load');
    violation(p.w, {
      blockedURI: 'https://collect.northwind.example/c',
      effectiveDirective: 'connect-src',
      originalPolicy: "default-src 'self'; script-src 'self' https://cdn.northwind.example",
    });
    violation(p.w, {
      blockedURI: 'https://px.bluejay.example/p.gif',
      effectiveDirective: 'img-src',
      disposition: 'report',
      originalPolicy: 'img-src https://img.example',
    });
    const [outcomes] = await p.report();
    expect(outcomes).toEqual([
      {
        id: 'nw',
        partner: 'northwind-analytics',
        status: 'loaded',
        reason: '',
        warnings: ['default-src: add https://collect.northwind.example'],
      },
      {
        id: 'bj',
        partner: 'bluejay-ads',
        status: 'blocked-csp',
        reason: 'script-src: add https://tags.bluejay.example',
        warnings: ['report-only img-src: add https://px.bluejay.example'],
      },
    ]);
  });

  it('loads utt.csp.js on the first violation only; without it, a blocked partner is failed, without a fix', async () => {
    const chunks = (p: ReturnType<typeof page>) =>
      Array.from(p.d.scripts).filter((s) => s.src.endsWith('/utt.csp.js')).length;
    const quiet = page({ manifest: manifestOf(BJ) });
    await quiet.settled();
    quiet.fire(BJ_URL, 'load');
    await quiet.report();
    expect(chunks(quiet)).toBe(0);

    const p = page({ manifest: manifestOf(BJ), noChunk: true });
    await p.settled();
    violation(p.w, {
      blockedURI: BJ_URL,
      effectiveDirective: 'script-src-elem',
      originalPolicy: "script-src 'self'",
    });
    p.fire(BJ_URL, 'error');
    const [outcomes] = await p.report();
    expect(chunks(p)).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'failed', reason: 'error' });
  });

  it('ignores violations that concern no partner, and malformed ones', async () => {
    const p = page({ manifest: manifestOf(NW) });
    await p.settled();
    violation(p.w, { blockedURI: 'inline', effectiveDirective: 'script-src-elem', originalPolicy: '' });
    violation(p.w, {
      blockedURI: 'https://evil.example/x.js',
      effectiveDirective: 'script-src-elem',
      originalPolicy: '',
    });
    p.fire(NW_URL, 'load');
    const [outcomes] = await p.report();
    expect(outcomes).toEqual([{ id: 'nw', partner: 'northwind-analytics', status: 'loaded', reason: '' }]);
  });
});
