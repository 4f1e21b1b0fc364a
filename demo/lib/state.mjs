// The demo account's integrations, kept as the very manifest the runtime
// fetches: one JSON file, written atomically (temp file, then rename), so a
// crash never leaves half a manifest and a restart finds the last one.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function createState(dir, account, sample) {
  const file = join(dir, `${account}.json`);
  mkdirSync(dir, { recursive: true });

  const read = () =>
    existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : JSON.parse(readFileSync(sample, 'utf8'));

  const write = (manifest) => {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(tmp, file);
    return manifest;
  };

  return {
    file,
    /** The published manifest. */
    manifest: read,
    /** Applies `change` to a copy of the manifest and publishes the result. */
    update(change) {
      const manifest = read();
      const result = change(manifest);
      write(manifest);
      return result;
    },
    reset: () => write(JSON.parse(readFileSync(sample, 'utf8'))),
  };
}
