// A throwaway Postgres server for the store's tests and the collector's load
// test (test/bench/collector.mjs): Debian's postgresql
// package, initdb and pg_ctl in a temporary folder, on a loopback port. As
// root (CI), Postgres refuses to run, so it runs as the package's own
// `postgres` user. Without the package the suite fails, naming it.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

const ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, found, never assumed. */
function binaries() {
  const versions = existsSync(ROOT)
    ? readdirSync(ROOT)
        .filter((v) => existsSync(join(ROOT, v, 'bin', 'initdb')) && existsSync(join(ROOT, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      `no Postgres server under ${ROOT}: the store's tests need Debian's postgresql package (apt-get install postgresql)`,
    );
  return join(ROOT, versions[0], 'bin');
}

/** Starts a server; returns the admin URL (database `postgres`, user `utt`, no password) and a stop. */
export async function startPostgres() {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'utt-pg-'));
  /** @type {string[]} */
  let as = [];
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    as = ['runuser', '-u', 'postgres', '--'];
  }
  /** @param {string} tool @param {string[]} args */
  const run = (tool, args) => {
    const [cmd, ...rest] = [...as, join(bin, tool), ...args];
    execFileSync(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'utt', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // Loopback TCP only, its socket in the temporary folder; -F: no fsync (the tests kill the demo, not Postgres).
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -F`, 'start']);
  return {
    url: `postgres://utt@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
