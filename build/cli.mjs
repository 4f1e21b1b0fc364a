#!/usr/bin/env node
// utt: the project's command line.
import { errorsOf, formatProblems, loadRegistry } from './registry.mjs';

const USAGE = `usage: utt <command>

commands:
  check      validate every partner registry entry (partners/*.json)
  csp-check  what a Content-Security-Policy does to utt's requests, and the fix
             (utt csp-check --help)
  partner new <key>
             scaffold partners/<key>.json (utt partner new --help)
  build-account --manifest <file> --out <dir>
             a per-account tag: the runtime with the account's integrations
             inlined, checked against the registry (utt build-account --help)
  help       this text
`;

const [command = 'help'] = process.argv.slice(2);

if (command === 'check') {
  const { entries, problems } = loadRegistry();
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
