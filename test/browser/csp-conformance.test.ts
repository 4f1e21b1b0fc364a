// Every case of the CSP conformance table in real Chromium: the policy is
// served as a response header, the resource is requested the way utt would
// (a script inserted through the DOM), and the outcome is read from load and
// error events and securitypolicyviolation, never from request events.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../../src/csp/match';
import { CASES, type Case, SCRIPT_BODY } from '../csp/cases';
import { engines } from '../csp/engines';
import { launch } from './chromium';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64');

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ ignoreHTTPSErrors: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Runs one case in a fresh page and says whether Chromium loaded the resource. */
async function inChromium(c: Case): Promise<'allow' | 'block'> {
  const page = await context.newPage();
  const origin = c.origin ?? 'https://shop.example';
  await page.route('**/*', (route) => {
    const request = route.request();
    const url = request.url();
    if (url === `${origin}/`) {
      const headers: Record<string, string> = { 'content-security-policy': c.policy };
      if (c.reportOnly) headers['content-security-policy-report-only'] = c.reportOnly;
      return route.fulfill({ contentType: 'text/html', headers, body: '<!doctype html><title>csp</title>' });
    }
    if (c.redirectTo && url === c.url) return route.fulfill({ status: 302, headers: { location: c.redirectTo } });
    const cors = { 'access-control-allow-origin': '*' };
    const type = request.resourceType();
    if (type === 'script') return route.fulfill({ contentType: 'text/javascript', headers: cors, body: SCRIPT_BODY });
    if (type === 'image') return route.fulfill({ contentType: 'image/gif', headers: cors, body: GIF });
    if (type === 'document') return route.fulfill({ contentType: 'text/html', body: '<!doctype html>frame' });
    return route.fulfill({ contentType: 'text/plain', headers: cors, body: 'ok' });
  });
  await page.goto(`${origin}/`);
  const result = await page.evaluate(
    ({ url, type, nonce, integrity }) =>
      new Promise<string>((resolve) => {
        let violated = false;
        document.addEventListener('securitypolicyviolation', (e) => {
          if (e.disposition === 'enforce') violated = true;
        });
        const done = (ok: boolean) => setTimeout(() => resolve(ok && !violated ? 'allow' : 'block'), 50);
        if (type === 'script') {
          const s = document.createElement('script');
          if (nonce) s.nonce = nonce;
          if (integrity) {
            s.integrity = integrity;
            s.crossOrigin = 'anonymous';
          }
          s.onload = () => done((window as any).__csp_ran === 1);
          s.onerror = () => done(false);
          s.src = url;
          document.head.appendChild(s);
        } else if (type === 'img') {
          const img = new Image();
          img.onload = () => done(true);
          img.onerror = () => done(false);
          img.src = url;
        } else if (type === 'connect') {
          fetch(url).then(
            () => done(true),
            () => done(false),
          );
        } else {
          // A blocked frame still fires load (on an error page): the violation decides.
          const f = document.createElement('iframe');
          f.onload = () => done(true);
          f.src = url;
          document.body.appendChild(f);
        }
      }),
    { url: c.url, type: c.type ?? 'script', nonce: c.nonce, integrity: c.integrity },
  );
  await page.close();
  return result as 'allow' | 'block';
}

describe('CSP conformance in Chromium', () => {
  it.each(CASES.filter((c) => !c.redirectTo).map((c) => [c.name, c]))('%s', async (_, c) => {
    const expected = (c as Case).chromium ?? (c as Case).spec;
    const actual = await inChromium(c as Case);
    expect(actual, 'Chromium vs the table').toBe(expected);
    expect(engines(c as Case) & CHROMIUM ? 'allow' : 'block', 'matcher vs Chromium').toBe(actual);
  });
});
