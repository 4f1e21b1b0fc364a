// The registry's partners as the hub page and the service worker see them,
// and the partner emulation the service worker asks for (demo/lib/emulate.mjs).
import { compileEntry } from '../../build/registry.mjs';
import { templateURL } from '../../build/template.mjs';
import { emulatedScript, entryForHost } from './emulate.mjs';
import { json, reply, TYPES, text } from './http.mjs';

/**
 * The partner's name as the hub's menus and mails show it: the registry's, less the "(emulated)" that marks
 * the entries modelled on real vendors (a note for the registry's readers, not part of the vendor's name).
 */
export const displayName = (entry) => entry.name.replace(/\s*\(emulated\)$/, '');

/** What the hub page and the service worker need to know of each partner. */
export const partnerInfo = (entry) => ({
  key: entry.key,
  name: displayName(entry),
  contact: entry.contact,
  host: templateURL(entry.script).host,
  script: entry.script,
  identifiers: entry.identifiers,
  csp: entry.csp,
  load: entry.load || 'now',
  // The events the runtime will send it: the names its compiled events block maps, as utt.events.js carries them.
  events: (compileEntry(entry).ev ?? []).map(([name]) => name),
});

/** /partners.json, and /emulate?url=: the emulated script for a script URL of a registry partner. */
export function partnerRoute(entries, pathname, searchParams) {
  if (pathname === '/partners.json') return json(200, entries.map(partnerInfo));
  if (pathname !== '/emulate') return undefined;
  let target;
  try {
    target = new URL(searchParams.get('url') || '');
  } catch {
    return text(400, 'url: not a URL');
  }
  const entry = target.protocol === 'https:' && entryForHost(entries, target.host);
  if (!entry) return text(404, 'no partner serves that host');
  return reply(200, TYPES['.js'], emulatedScript(entry, target.href, { mark: true }));
}
