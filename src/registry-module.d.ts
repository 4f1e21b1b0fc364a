// The typed seam between the build and the runtime: `build/registry.mjs`
// compiles partners/*.json into this virtual module (see build/rollup-plugin-registry.mjs).
declare module 'utt:registry' {
  import type { Registry } from './compiled';

  const registry: Registry;
  export default registry;
}

declare module 'utt:events' {
  import type { EventMaps } from './events';

  const maps: EventMaps;
  export default maps;
}
