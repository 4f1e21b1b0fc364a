// What build/ and demo/ use of the runtime's sources: one import each, naming
// the members used. TypeScript types every loadSrc() call from these
// (load-src.mjs), knip sees which exports are used, and esbuild bundles them
// into dist/cli.mjs (bundle-cli.mjs). In Node, loadSrc() loads the same files
// through jiti; a member missing here is a type error at its call site.
export const SOURCES = {
  'src/consent/index.ts': async () => {
    const { CATEGORIES } = await import('../src/consent/index.ts');
    return { CATEGORIES };
  },
  'src/csp/check.ts': async () => {
    const { addSource, check } = await import('../src/csp/check.ts');
    return { addSource, check };
  },
  'src/csp/match.ts': async () => {
    const { ALL, ENGINE_NAMES, matchList } = await import('../src/csp/match.ts');
    return { ALL, ENGINE_NAMES, matchList };
  },
  'src/csp/page.ts': async () => {
    const { sampleURL } = await import('../src/csp/page.ts');
    return { sampleURL };
  },
  'src/csp/parse.ts': async () => {
    const { parsePolicies, serializePolicy } = await import('../src/csp/parse.ts');
    return { parsePolicies, serializePolicy };
  },
  'src/evidence.ts': async () => {
    const { decode, MAX_EVIDENCE } = await import('../src/evidence.ts');
    return { decode, MAX_EVIDENCE };
  },
  'src/health.ts': async () => {
    const { decode, MAX_BEACON } = await import('../src/health.ts');
    return { decode, MAX_BEACON };
  },
  'src/identifiers.ts': async () => {
    const { checkIdentifier, checkIdentifiers, MAX_VALUE } = await import('../src/identifiers.ts');
    return { checkIdentifier, checkIdentifiers, MAX_VALUE };
  },
  'src/manifest.ts': async () => {
    const { MAX_BYTES, MAX_INTEGRATIONS, malformed, readManifest } = await import('../src/manifest.ts');
    return { MAX_BYTES, MAX_INTEGRATIONS, malformed, readManifest };
  },
  'src/partner.ts': async () => {
    const { encode, FIELDS } = await import('../src/partner.ts');
    return { encode, FIELDS };
  },
  'src/script-url.ts': async () => {
    const { scriptURL } = await import('../src/script-url.ts');
    return { scriptURL };
  },
  'src/timing.ts': async () => {
    const { LOADS } = await import('../src/timing.ts');
    return { LOADS };
  },
};
