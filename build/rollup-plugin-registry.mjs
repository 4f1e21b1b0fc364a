// Serves the compiled partner registry as the virtual module 'utt:registry'.
// Works in rollup (the build) and in vite (vitest). A registry with problems
// fails the build, naming each file, JSON path and reason.
import { compileRegistry, errorsOf, formatProblems, loadRegistry } from './registry.mjs';

const ID = 'utt:registry';

export default function registryPlugin(options = {}) {
  return {
    name: 'utt-registry',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      const { entries, problems } = loadRegistry(options);
      const errors = errorsOf(problems);
      // Warnings (utt check) never fail a build; errors do, every one of them listed.
      if (errors.length) this.error(`partner registry has ${errors.length} problem(s):\n${formatProblems(errors)}`);
      return compileRegistry(entries);
    },
  };
}
