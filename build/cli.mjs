#!/usr/bin/env node
// utt: the project's command line. Every subcommand is parsed the same way
// (node:util parseArgs, strict), takes --help, finds partners with
// --partners <dir> through one function (partners-dir.mjs), and refuses bad
// usage or an unreadable file with one line on stderr and exit 2.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, why } from './cli-error.mjs';

const USAGE = `usage: utt <command> [options]

commands:
  check            validate every partner registry entry, with file:line:column
  csp-check        what a Content-Security-Policy does to utt's requests, and the fix
  build-account    a per-account tag: the runtime with an account's integrations
                   inlined, checked against the registry (--inline: as a <script>
                   to write into the page)
  partner new      scaffold a partner entry, <key>.json
  help             this text; --version, the version

Every command takes --help, and --partners <dir>: the folder of partner entries
(default ./partners when it exists, else the package's own; partner new writes
to ./partners by default, never into node_modules).`;

/** The options every subcommand shares. @type {import('node:util').ParseArgsConfig['options']} */
const PARTNERS_OPTION = {
  partners: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * A subcommand: its usage text, its parseArgs options, whether it takes positionals,
 * and `run`, which returns the exit code.
 * @typedef {{
 *   usage: string,
 *   options: import('node:util').ParseArgsConfig['options'],
 *   positionals?: boolean,
 *   run: (args: { values: Record<string, any>, positionals: string[] }) => number | Promise<number>,
 * }} Command
 */

/** @type {Record<string, () => Promise<Command>>} Loaded on demand: each pulls in what it needs. */
const COMMANDS = {
  check: async () => (await import('./check.mjs')).checkCommand,
  'csp-check': async () => (await import('./csp-check.mjs')).cspCheckCommand,
  'build-account': async () => (await import('./account.mjs')).buildAccountCommand,
  'partner new': async () => (await import('./partner-new.mjs')).partnerNewCommand,
};

/**
 * Runs `utt <argv...>`; returns the exit code.
 * @param {string[]} argv
 */
export async function main(argv) {
  const [first = 'help', second] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
    return 0;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const name = first === 'partner' && second === 'new' ? 'partner new' : first;
  if (!Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`utt: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  const command = await COMMANDS[name]();
  const fail = (/** @type {CliError} */ err) => {
    process.stderr.write(`utt ${name}: ${err.message}\n${err.usage ? `\n${command.usage}\n` : ''}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(name.split(' ').length),
      options: { ...command.options, ...PARTNERS_OPTION },
      allowPositionals: !!command.positionals,
      strict: true,
    });
  } catch (err) {
    return fail(new CliError(err.message, { usage: true }));
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(parsed);
  } catch (err) {
    if (err instanceof CliError) return fail(err);
    // Any other file the command could not read or write (a folder in UTT_PARTNER_DIRS, say): one line too.
    if (err?.syscall && err.path) {
      const verb = /^(open|read|scandir|stat|lstat)$/.test(err.syscall) ? 'read' : err.syscall;
      return fail(new CliError(`${err.path}: cannot ${verb} it (${why(err)})`));
    }
    throw err;
  }
}

// Run as the `utt` bin (build/cli.mjs, or dist/cli.mjs once bundled).
process.exitCode = await main(process.argv.slice(2));
