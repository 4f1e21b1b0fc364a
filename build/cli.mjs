#!/usr/bin/env node
// utt: the project's command line.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorsOf, formatProblems, loadRegistry, PARTNERS_DIR } from './registry.mjs';

const USAGE = `usage: utt <command>

commands:
  check [--dir <folder>]
             validate every partner registry entry: <folder>/*.json, else
             ./partners/*.json, else the package's own partners/
  --version  the version
  csp-check  what a Content-Security-Policy does to utt's requests, and the fix
             (utt csp-check --help)
  partner new <key>
             scaffold partners/<key>.json (utt partner new --help)
  build-account --manifest <file> --out <dir> [--inline <base URL>]
             a per-account tag: the runtime with the account's integrations
             inlined, checked against the registry; --inline also writes it as
             a <script> to write into the page (utt build-account --help)
  help       this text
`;

const [command = 'help'] = process.argv.slice(2);

if (command === '--version' || command === '-v') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else if (command === 'check') {
  const args = process.argv.slice(3);
  const at = args.indexOf('--dir');
  if (args.some((a) => a.startsWith('-') && a !== '--dir') || (at >= 0 && !args[at + 1])) {
    process.stderr.write(`utt check: unknown or incomplete option in ${args.join(' ')}\n\n${USAGE}`);
    process.exit(2);
  }
  // The project's own partners/ when run in a project; this package's otherwise.
  const dir = at >= 0 ? resolve(args[at + 1]) : existsSync('partners') ? resolve('partners') : PARTNERS_DIR;
  const { entries, problems } = loadRegistry({
    dirs: [dir, ...(process.env.UTT_PARTNER_DIRS || '').split(',').filter(Boolean)],
  });
  const errors = errorsOf(problems);
  if (problems.length) console.error(formatProblems(problems));
  if (errors.length) {
    console.error(`\n${errors.length} error(s), ${problems.length - errors.length} warning(s) in the partner registry`);
    process.exit(1);
  }
  console.log(
    `partner registry: ${entries.length} entries, no errors${problems.length ? `, ${problems.length} warning(s)` : ''}`,
  );
} else if (command === 'csp-check') {
  const { main, USAGE: CSP_USAGE } = await import('./csp-check.mjs');
  const args = process.argv.slice(3);
  if (args.includes('--help') || args.includes('-h')) process.stdout.write(`${CSP_USAGE}\n`);
  else process.exitCode = main(args);
} else if (command === 'partner' && process.argv[3] === 'new') {
  const { partnerNew, USAGE: NEW_USAGE } = await import('./partner-new.mjs');
  const args = process.argv.slice(4);
  if (args.includes('--help') || args.includes('-h')) process.stdout.write(`${NEW_USAGE}\n`);
  else
    try {
      process.exitCode = await partnerNew(args);
    } catch (err) {
      process.stderr.write(`utt partner new: ${err.message}\n\n${NEW_USAGE}\n`);
      process.exitCode = 2;
    }
} else if (command === 'build-account') {
  const { buildAccount, USAGE: ACCOUNT_USAGE } = await import('./account.mjs');
  const args = process.argv.slice(3);
  if (args.includes('--help') || args.includes('-h')) process.stdout.write(`${ACCOUNT_USAGE}\n`);
  else process.exitCode = buildAccount(args);
} else if (command === 'help' || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
} else {
  process.stderr.write(`utt: unknown command "${command}"\n\n${USAGE}`);
  process.exit(2);
}
