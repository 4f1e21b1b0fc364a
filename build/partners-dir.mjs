// Where the registry's entries live: partners/ beside build/. This file sits
// one level below the package root, as dist/cli.mjs (which bundles it) does.
// And where the `utt` command looks for them: one rule for every subcommand.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, why } from './cli-error.mjs';

export const PARTNERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'partners');

/**
 * The folder of partner entries a `utt` subcommand reads, or `partner new` writes:
 * `--partners <dir>` when given, else `./partners` when it exists, else (reading
 * only) the package's own. `partner new` writes to `./partners` by default, and
 * never into an installed package: a folder inside node_modules is refused.
 * Throws a CliError (one line, exit 2) for a folder that cannot be used.
 * @param {string | undefined} given the --partners value
 * @param {{ write?: boolean, cwd?: string }} [options]
 * @returns {{ dir: string, packaged: boolean }} an absolute path; `packaged`, when it is the
 *   package's own because neither --partners nor ./partners was there
 */
export function partnersDir(given, { write = false, cwd = process.cwd() } = {}) {
  const local = resolve(cwd, 'partners');
  const packaged = given === undefined && !write && !existsSync(local);
  const dir = given !== undefined ? resolve(cwd, given) : packaged ? PARTNERS_DIR : local;
  if (write && `${dir}${sep}`.includes(`${sep}node_modules${sep}`))
    throw new CliError(`${dir} is inside node_modules: write partners to your own folder (--partners <dir>)`);
  if (write && !existsSync(dir)) return { dir, packaged };
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    readdirSync(dir);
  } catch (err) {
    throw new CliError(`${given === undefined ? dir : `--partners ${given}`}: cannot read it (${why(err)})`);
  }
  return { dir, packaged };
}

/**
 * The registry a reading subcommand loads: that folder, and any in UTT_PARTNER_DIRS
 * (comma-separated: private entries kept elsewhere).
 * @param {string | undefined} given the --partners value
 */
export function registryDirs(given) {
  const { dir, packaged } = partnersDir(given);
  return { dirs: [dir, ...(process.env.UTT_PARTNER_DIRS || '').split(',').filter(Boolean)], packaged };
}

/** The --partners line of every subcommand's usage. */
export const PARTNERS_USAGE = `  --partners <dir>          the folder of partner entries (default ./partners when it
                            exists, else the package's own)
  --help                    this text`;
