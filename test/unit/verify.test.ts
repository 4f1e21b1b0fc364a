// Verify mode's Trusted Types line where the browser has no Trusted Types
// (jsdom, like Firefox before 145): the engines suite covers the browsers
// that have them.
import { describe, expect, it } from 'vitest';
import { advance, fakeClock, integration, manifestOf, page } from './page';

fakeClock();

const verifyOn = async (meta: string) => {
  const p = page({
    manifest: manifestOf(integration('na', 'northwind-analytics', { domain: 'shop.example' })),
    before: (w) => {
      const m = w.document.createElement('meta');
      m.httpEquiv = 'Content-Security-Policy';
      m.content = meta;
      w.document.head.appendChild(m);
    },
  });
  await p.settled();
  let result: { items: { item: string; evidence: string }[] }[] | undefined;
  (p.utt as (...a: unknown[]) => void)('verify', (r: typeof result) => {
    result = r;
  });
  for (let i = 0; !result && i < 100; i++) await advance(10);
  return result?.[0]?.items.find((i) => i.item === 'csp')?.evidence;
};

describe('verify mode, Trusted Types line', () => {
  it('says the browser has none, and that the page requires them', async () => {
    expect(await verifyOn("require-trusted-types-for 'script'; trusted-types utt")).toMatch(
      /; Trusted Types: none in this browser; required, policy "utt" allowed$/,
    );
  });

  it('says when the page does not require them', async () => {
    expect(await verifyOn('img-src *')).toMatch(/; Trusted Types: none in this browser; not required$/);
  });
});
