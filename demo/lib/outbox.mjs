// "Alert the partner by e-mail": the hub writes an RFC 5322 message to a
// local outbox folder instead of sending it, so QA can read what would go.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FROM = 'utt Partner Integrations Hub <hub@utt-demo.localhost>';

/** RFC 5322 date-time: `Fri, 27 Nov 2026 23:00:00 +0000`. */
const rfc5322Date = (d) => d.toUTCString().replace('GMT', '+0000');

/** Header values come from the registry and the hub; keep them on one line. */
const oneLine = (s) => String(s).replace(/[\r\n]+/g, ' ');

export function createOutbox(dir) {
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    /** Writes one message; returns its file name. */
    send({ to, subject, body, date = new Date() }) {
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
      const text = `${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
      const name = `${date.toISOString().replace(/[:.]/g, '-')}-${id.slice(0, 8)}.eml`;
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, text);
      renameSync(tmp, join(dir, name));
      return name;
    },
    /** Every message, newest first, with its main headers. */
    list() {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .reverse()
        .map((file) => {
          const raw = readFileSync(join(dir, file), 'utf8');
          const header = (name) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1] ?? '';
          return { file, to: header('To'), subject: header('Subject'), date: header('Date'), raw };
        });
    },
  };
}
