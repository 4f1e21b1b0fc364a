// Trusted Types: on a page that enforces `require-trusted-types-for 'script'`,
// a script URL must come from a policy. utt's policy is named `utt` and only
// passes the one URL the pipeline has just built and checked.
// https://w3c.github.io/trusted-types/dist/spec/

import { bare, own } from './own';

type Policy = { createScriptURL(url: string): unknown };

/**
 * Makes `toScriptURL(url)` for a window: a TrustedScriptURL where the API
 * exists, else the string. The policy is created on first use, so a page
 * where utt injects nothing never sees it.
 */
export function trustedTypes(w: Window): (url: string) => unknown {
  let allowed = '';
  let policy: Policy | undefined | 0;
  return (url) => {
    if (policy === undefined) {
      policy = 0;
      try {
        // Own property of window (where the engine has the API): Object.prototype.trustedTypes is not it.
        const api = own(w, 'trustedTypes') as { createPolicy(n: string, o: object): Policy } | undefined;
        // The options without a prototype: an inherited createScript or createHTML would become the policy's.
        policy =
          (api && api.createPolicy('utt', bare({ createScriptURL: (u: string) => (u === allowed ? u : null) }))) || 0;
      } catch {
        // A `trusted-types` directive without `utt`: assignments will fail, and say so.
      }
    }
    allowed = url;
    return policy ? policy.createScriptURL(url) : url;
  };
}
