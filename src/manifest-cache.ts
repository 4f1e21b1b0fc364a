// The last known good manifest, in localStorage: used only when the fetch
// fails, and validated again then. Storage that is full, disabled or throws
// changes nothing else.

const VERSION = 1;
/** A week: older than that, a cached manifest is too stale to stand in. */
const MAX_AGE = 7 * 24 * 3600 * 1000;

export function remember(w: Window, url: string, body: string): void {
  try {
    w.localStorage.setItem('utt:' + url, JSON.stringify([VERSION, Date.now(), body]));
  } catch {
    // Full, disabled, or a page that replaced localStorage.
  }
}

export function recall(w: Window, url: string): string | undefined {
  try {
    const [version, time, body] = JSON.parse(w.localStorage.getItem('utt:' + url) || '0') || [];
    const age = Date.now() - time;
    // A timestamp in the future is as untrustworthy as an old one.
    if (version === VERSION && age >= 0 && age < MAX_AGE && typeof body == 'string') return body;
  } catch {
    // Unreadable: as if nothing were kept.
  }
}
