// "Alert the partner by e-mail": the hub writes an RFC 5322 message into its
// outbox (demo/lib/store.mjs) instead of sending it, so QA can read what would go.
import { randomUUID } from 'node:crypto';

const FROM = 'utt Partner Integrations Hub <hub@utt-demo.localhost>';

/** RFC 5322 date-time: `Fri, 27 Nov 2026 23:00:00 +0000`. */
const rfc5322Date = (d) => d.toUTCString().replace('GMT', '+0000');

/** Header values come from the registry and the hub; keep them on one line. */
const oneLine = (s) => String(s).replace(/[\r\n]+/g, ' ');

/** One message: its file name (as an .eml would be saved), its main headers, and the whole text. */
export function message({ to, subject, body, date = new Date() }) {
  const id = randomUUID();
  const headers = [
    `From: ${FROM}`,
    `To: ${oneLine(to)}`,
    `Subject: ${oneLine(subject)}`,
    `Date: ${rfc5322Date(date)}`,
    `Message-ID: <${id}@utt-demo.localhost>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return {
    file: `${date.toISOString().replace(/[:.]/g, '-')}-${id.slice(0, 8)}.eml`,
    to: oneLine(to),
    subject: oneLine(subject),
    date: rfc5322Date(date),
    raw: `${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`,
  };
}
