import { check } from '../../src/csp/check';
import { parsePolicies } from '../../src/csp/parse';
import type { Case } from './cases';

/** The request a case describes. */
export const requestOf = (c: Case) => ({
  url: new URL(c.url),
  type: c.type ?? ('script' as const),
  self: new URL(c.origin ?? 'https://shop.example'),
  nonce: c.nonce,
  integrity: c.integrity,
});

/** Which engines our matcher says allow the case, following a redirect where there is one. */
export function engines(c: Case): number {
  const request = requestOf(c);
  const policies = parsePolicies(c.policy);
  let result = check(policies, parsePolicies(c.reportOnly ?? ''), request).engines;
  if (c.redirectTo) result &= check(policies, [], { ...request, url: new URL(c.redirectTo), redirected: true }).engines;
  return result;
}
