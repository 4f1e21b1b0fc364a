// A per-account tag (`utt build-account`, build/account.mjs): its
// integrations are inlined, each checked when the tag was built, so no
// manifest is fetched and no identifier is checked in the browser. What
// needs the page (duplicates, CSP, consent, load timing) still runs, through
// the pipeline's admit stage.
import type { Compiled, Partner } from './compiled';
import { decode, type Wire } from './partner';
import { admit } from './pipeline';
import type { Tag } from './runtime';
import type { Status } from './types';

export function account([name, version, integrations]: Compiled): Tag {
  /** Its partners, by key, as the runtime reads them (verify mode asks for them too). */
  const partners: Record<string, Partner> = Object.create(null);
  const tag: Tag = {
    // Written into the page, it has no src: utt's files are in the folder data-base names.
    _files: (tag) => tag.getAttribute('data-base') || tag.getAttribute('src'),
    _account: name,
    _start(feed, listen, report, options) {
      options.account = name;
      report._manifest('pending', '', '', version);
      listen();
      feed(
        integrations,
        // Checked when built: its URL, its values and its partner's wire form (src/partner.ts);
        // or settled when built: disabled, or (the demo hub's lenient build) its status and reason.
        (c, item) => {
          const [id, key, url, values, wire] = item as [string, string, string, Record<string, string>, Wire?];
          wire
            ? admit(c, id, key, (partners[key] = decode(url, [], wire)), url, values, wire[7])
            : report._set(id, key, (url as Status) || 'disabled', values as unknown as string);
        },
        'ok',
        '',
      );
    },
    // Its own integrations, as a manifest lists them (verify mode has no manifest to fetch), and its partners.
    _verify: () => ({
      manifest: '',
      integrations: integrations.map(([id, partner, , identifiers, wire]) => ({
        id,
        partner,
        status: wire ? 'enabled' : 'disabled',
        identifiers,
      })),
      partner: (key) => partners[key],
    }),
  };
  // Its values were checked when it was built: the events stage gets no identifier check (an own
  // property, so that a polluted Object.prototype cannot hand it one).
  if (__EVENTS__) tag._check = undefined;
  return tag;
}
