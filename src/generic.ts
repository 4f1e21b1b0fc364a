// The generic tag (dist/utt.js, the ESM build): one file for every account.
// Its account's manifest is fetched beside utt.js (or from data-manifest),
// checked entry by entry (src/pipeline.ts, run), and kept as the last good
// copy for when a later request fails (src/manifest-cache.ts).
import { checkIdentifier } from './identifiers';
import { fetchManifest, readManifest } from './manifest';
import { recall, remember } from './manifest-cache';
import { own } from './own';
import { run } from './pipeline';
import { lookup } from './registry';
import type { Tag } from './runtime';
import { Code, warn } from './warn';

export function generic(): Tag {
  let url = '';
  const tag: Tag = {
    _files: (tag) => tag.getAttribute('src'),
    // None: it starts only once init or its tag names an account (and a polluted Object.prototype names none).
    _account: '',
    _start(feed, listen, report, options, w, base, timeout, debug) {
      const { account = '', manifest } = options;
      try {
        if (!account && !manifest) throw Code.NoAccount;
        if (account && !/^[\w-]{1,64}$/.test(account)) throw Code.BadAccount;
        url = new URL(manifest || 'manifests/' + account + '.json', base).href;
      } catch (code) {
        warn(debug, code as Code, account);
        return report._manifest('invalid', 'account');
      }
      report._manifest('pending', '', url);
      // The manifest is requested first; the rest of the set-up runs while it is on its way.
      fetchManifest(w, url, timeout, (body, failure) => {
        // A request that failed falls back on the last manifest that was good.
        const cached = failure && !/^(content-type|too-large)$/.test(failure) ? recall(w, url) : undefined;
        let list = cached ? readManifest(cached, account) : failure || readManifest(body, account);
        if (typeof list == 'string') {
          warn(debug, failure ? Code.ManifestFailed : Code.ManifestInvalid, url, failure || list);
          list = failure || list;
          // The failure or the envelope's reason picks the status: too-large and too-many are statuses of their own,
          // a request that failed is failed, a body that is no manifest is invalid.
          return report._manifest(
            /^too-/.test(list) ? (list as 'too-large') : failure && failure != 'content-type' ? 'failed' : 'invalid',
            list,
          );
        }
        // The publish the hub names in the manifest (`publish`, the per-account tag's hash of it), a string or none.
        const publish = own(JSON.parse(cached || body), 'publish');
        feed(
          list,
          run,
          cached ? 'cached' : 'ok',
          (cached && failure) || '',
          // Stored in a later task: the first storage access can block for milliseconds.
          () => failure || setTimeout(() => remember(w, url, body)),
          typeof publish == 'string' ? publish : '',
        );
      });
      // CMPs answer while the manifest is on its way.
      listen();
    },
    // Every field verify reads: none inherited. Its partners are its registry's.
    _verify: () => ({ manifest: url, integrations: undefined, partner: lookup }),
  };
  // The events stage checks the optional identifiers a mapping names from the manifest's values.
  tag._check = checkIdentifier;
  return tag;
}
