// The merchant preview page's Content-Security-Policy presets. Each is sent
// as a real response header (or, for `meta`, as a meta tag), so Chromium
// enforces it on the real dist/utt.js and the emulated partners.
import { templateURL } from '../../build/template.mjs';

/** The host a registry entry's script comes from. */
const scriptOrigin = (entry) => templateURL(entry.script).origin;

/**
 * An allowlist of every partner's needs, less the script origin of `missing`. `hash`: the
 * CSP source of the per-account tag when it is written into the page (build/account.mjs inlineTag).
 */
function allowlist(entries, missing, hash) {
  const list = (type) => [...new Set(entries.flatMap((e) => e.csp[`${type}-src`] || []))];
  const scripts = entries.filter((e) => e.key !== missing).map(scriptOrigin);
  return [
    `script-src 'self'${hash ? ` ${hash}` : ''} ${scripts.join(' ')}`,
    `connect-src 'self' ${list('connect').join(' ')}`,
    `img-src 'self' data: ${list('img').join(' ')}`,
    `frame-src ${list('frame').join(' ') || "'none'"}`,
    "worker-src 'self'",
    "object-src 'none'",
  ].join('; ');
}

export const PRESETS = {
  none: { label: 'No CSP', header: () => '' },
  strict: {
    label: "nonce + 'strict-dynamic' (header)",
    header: (_, nonce) =>
      `script-src 'nonce-${nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'; worker-src 'self'`,
  },
  allowlist: {
    label: 'host allowlist lacking Bluejay Ads (header)',
    header: (entries, _, hash) => allowlist(entries, 'bluejay-ads', hash),
  },
  meta: {
    label: 'host allowlist lacking Bluejay Ads (meta tag)',
    header: () => '',
    meta: (entries, hash) => allowlist(entries, 'bluejay-ads', hash),
  },
  'trusted-types': {
    label: "Trusted Types enforced, 'trusted-types utt' (header)",
    header: () => "require-trusted-types-for 'script'; trusted-types utt",
  },
};

/** The preset of that name, own names only: `__proto__`, `constructor` or `toString` name no preset. */
export const presetNamed = (name) =>
  typeof name === 'string' && Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
