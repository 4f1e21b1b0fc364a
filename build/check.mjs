// `utt check`: every problem of every partner entry, with file:line:column.
import { PARTNERS_USAGE, registryDirs } from './partners-dir.mjs';
import { errorsOf, formatProblems, loadRegistry } from './registry.mjs';

/** @type {import('./cli.mjs').Command} */
export const checkCommand = {
  usage: `usage: utt check [--partners <dir>]

Validates every partner entry (<dir>/*.json) against partners/schema.json and the
checks beyond it, and prints each problem as file:line:column: error|warning.

${PARTNERS_USAGE}

Exit 0 when there is no error (warnings allowed), 1 on an error, 2 on bad usage.`,
  options: {},
  run({ values }) {
    const { dirs, packaged } = registryDirs(values.partners);
    const loaded = loadRegistry({ dirs });
    const { entries } = loaded;
    // The package's own entries (no ./partners here): their warnings are for their authors, not this project.
    const problems = packaged ? errorsOf(loaded.problems) : loaded.problems;
    const errors = errorsOf(problems);
    if (problems.length) console.error(formatProblems(problems));
    if (errors.length) {
      console.error(
        `\n${errors.length} error(s), ${problems.length - errors.length} warning(s) in the partner registry`,
      );
      return 1;
    }
    console.log(
      `partner registry${packaged ? " (the package's own: no ./partners here)" : ''}: ${entries.length} entries, no errors${problems.length ? `, ${problems.length} warning(s)` : ''}`,
    );
    return 0;
  },
};
