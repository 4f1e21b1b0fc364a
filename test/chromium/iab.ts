// The IAB Tech Lab's own CMP libraries, bundled for the browser with esbuild:
// the TCF CmpApi and TC string encoder, the TCF stub as CMPs ship it, and the
// GPP CmpApi. Consent tests drive utt with these instead of hand-written stubs.
import { readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';

/** `window.IAB`: { CmpApi, TCModel, TCString, GVL, PurposeRestriction, GppCmpApi }. */
export const IAB_BUNDLE = buildSync({
  stdin: {
    contents: `export { CmpApi } from '@iabtechlabtcf/cmpapi';
export { GVL, PurposeRestriction, TCModel, TCString } from '@iabtechlabtcf/core';
export { CmpApi as GppCmpApi } from '@iabgpp/cmpapi';`,
    resolveDir: process.cwd(),
  },
  bundle: true,
  format: 'iife',
  globalName: 'IAB',
  platform: 'browser',
  write: false,
}).outputFiles[0].text;

/** The official __tcfapi stub (@iabtechlabtcf/stub): a plain script, as a CMP places it before everything. */
export const TCF_STUB = readFileSync('node_modules/@iabtechlabtcf/stub/lib/stub.js', 'utf8');

/** A synthetic Global Vendor List with utt's three TCF vendors (9001, 9002, 9003). */
const purposes = Object.fromEntries(
  Array.from({ length: 11 }, (_, i) => [
    i + 1,
    { id: i + 1, name: `Purpose ${i + 1}`, description: '', illustrations: [] },
  ]),
);
const vendor = (id: number, p: number[], li: number[]) => ({
  id,
  name: `Vendor ${id}`,
  purposes: p,
  legIntPurposes: li,
  flexiblePurposes: [],
  specialPurposes: [],
  features: [],
  specialFeatures: [],
  cookieMaxAgeSeconds: 0,
  usesCookies: false,
  cookieRefresh: false,
  usesNonCookieAccess: false,
  dataRetention: { stdRetention: 0, purposes: {}, specialPurposes: {} },
  urls: [],
  dataDeclaration: [],
});
const VENDOR_LIST = {
  gvlSpecificationVersion: 3,
  vendorListVersion: 1,
  tcfPolicyVersion: 5,
  lastUpdated: '2026-01-01T00:00:00Z',
  purposes,
  specialPurposes: {},
  features: {},
  specialFeatures: {},
  stacks: {},
  dataCategories: {},
  vendors: {
    9001: vendor(9001, [1, 8, 9, 10], []),
    9002: vendor(9002, [1, 3, 4], [2, 7]),
    9003: vendor(9003, [1, 5, 6], []),
  },
};

/**
 * Page script (ES5, runs after IAB_BUNDLE and the stub): `window.cmp(decision)`
 * encodes a TC string with @iabtechlabtcf/core and gives it to the official
 * CmpApi, created on first use: a CMP that arrives after the stub.
 */
export const TCF_CMP = `
window.cmp = function (d) {
  var api = window.__cmpApi = window.__cmpApi || new IAB.CmpApi(300, 1, true);
  if (d === 'ui') return api.update('', true);
  if (d.gdprApplies === false) return api.update(null);
  var tc = new IAB.TCModel(new IAB.GVL(${JSON.stringify(VENDOR_LIST)}));
  tc.cmpId = 300; tc.cmpVersion = 1; tc.isServiceSpecific = true;
  tc.purposeConsents.set(d.purposes || []);
  tc.purposeLegitimateInterests.set(d.li || []);
  tc.vendorConsents.set(d.vendors || []);
  tc.vendorLegitimateInterests.set(d.vendorLi || []);
  // [vendor, purpose, type]: type 0 not allowed, 1 consent required, 2 legitimate interest required.
  (d.restrictions || []).forEach(function (r) {
    tc.publisherRestrictions.add(r[0], new IAB.PurposeRestriction(r[1], r[2]));
  });
  api.update(IAB.TCString.encode(tc), false);
};`;
