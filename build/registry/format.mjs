// Problems as the command line prints them.

/** Formats problems one a line: `file:LINE:COLUMN: error /json/path: message`. */
export const formatProblems = (problems) =>
  problems
    .map(
      (p) =>
        `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.severity || 'error'} ${p.path || '/'}: ${p.message}`,
    )
    .join('\n');

export const errorsOf = (problems) => problems.filter((p) => p.severity !== 'warning');
