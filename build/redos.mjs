// Registry patterns are untrusted: a partner entry's `pattern` runs in the
// merchant's page, on values the merchant typed. A pattern that backtracks
// super-linearly ("^(a|a)+$" against 27 a's and a "!") freezes the page's
// main thread for seconds. recheck (a ReDoS analyzer, automaton and fuzzing
// based) proves each pattern safe at build time, or says why not.
import { checkSync } from 'recheck';

/** @type {Map<string, string>} each pattern's verdict, once analysed */
const verdicts = new Map();

/**
 * Why `source` (a `u`-flag pattern) is unsafe to run on untrusted values, with
 * the fix; '' when recheck proves it linear.
 * @param {string} source
 */
export function backtracking(source) {
  // One analysis per pattern in a process: each takes about 0.1 s, and registries repeat patterns.
  if (!verdicts.has(source)) verdicts.set(source, analyse(source));
  return /** @type {string} */ (verdicts.get(source));
}

/** @param {string} source */
function analyse(source) {
  // recheck's default sync backend is a synckit worker, whose answer can fail to arrive on a
  // starved machine (synckit then throws a TypeError; a loaded CI run caught it). The pure
  // backend runs the same analyzer in this thread: no worker, nothing to lose.
  process.env.RECHECK_SYNC_BACKEND ||= 'pure';
  // 60 s: an analysis that a busy machine slows down is not a pattern's fault (10 s ran out once under load).
  const result = checkSync(source, 'u', { timeout: 60_000 });
  if (result.status === 'safe') return '';
  if (result.status === 'vulnerable') {
    const { complexity, attack } = result;
    const kind = complexity.type === 'polynomial' ? `polynomial, degree ${complexity.degree}` : complexity.type;
    return (
      `backtracks super-linearly (${kind}): a value such as ${attack.pattern} blocks the page's main thread. ` +
      'Fix: remove nested or overlapping repetition (such as (a|a)+ or (\\w+\\s?)*), make alternatives disjoint, or bound repeats with {m,n}'
    );
  }
  return `could not be proven free of super-linear backtracking (${result.error.kind}): simplify the pattern`;
}
