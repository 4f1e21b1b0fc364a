// Serves the compiled partner registry as the virtual module 'utt:registry',
// and its events blocks by partner key as 'utt:events' (utt.events.js).
// Works in rollup (the build) and in vite (vitest). A registry with problems
// fails the build, naming each file, JSON path and reason.
import { compileEventMaps, compileRegistry, errorsOf, formatProblems, loadRegistry } from './registry.mjs';

const IDS = ['utt:registry', 'utt:events'];

/**
 * `events: false`: the registry leaves the events blocks out (utt.js loads them from utt.events.js);
 * the other options are loadRegistry's.
 * @param {{ events?: boolean } & Parameters<typeof loadRegistry>[0]} [options]
 */
export default function registryPlugin({ events = true, ...options } = {}) {
  return {
    name: 'utt-registry',
    resolveId: (id) => (IDS.includes(id) ? `\0${id}` : null),
    load(id) {
      if (!IDS.includes(id.slice(1)) || id[0] !== '\0') return null;
      const { entries, problems } = loadRegistry(options);
      const errors = errorsOf(problems);
      // Warnings (utt check) never fail a build; errors do, every one of them listed.
      if (errors.length) this.error(`partner registry has ${errors.length} problem(s):\n${formatProblems(errors)}`);
      return id === '\0utt:events' ? compileEventMaps(entries) : compileRegistry(entries, events);
    },
  };
}
