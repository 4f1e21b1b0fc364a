// A partner's wire form: how the build writes a registry entry into utt.js's
// registry and into a per-account tag, and how the runtime reads it back. The
// field list, the encoder (the build's) and the decoder (the runtime's) live
// here side by side, and test/unit/partner.test.ts round-trips them.
// Every field is written, null when absent, and read back by destructuring,
// which stops at an array's length: no read reaches an inherited index or name.
import type { ConsentNeeds, EventMap, Identifier, Partner, Setup } from './compiled';

/** An identifier's schema: [name, integer (1) or not (0), min, max, tests]. */
export type WireId = [
  name: string,
  integer: 0 | 1,
  min: number | null,
  max: number | null,
  tests: Identifier['_tests'],
];

/** What a partner carries in both kinds of tag, in the order of FIELDS. */
export type Wire = [
  integrity: string | null,
  crossorigin: string | null,
  needs: Partner['_needs'],
  cats: number | null,
  sale: 1 | null,
  tcf: ConsentNeeds['_tcf'],
  setup: Setup | null,
  load: number,
  // Last, and left out when absent: a partner without an events block costs a tag no byte.
  events?: EventMap,
];

/** The labels of `Wire`, in order. */
export const FIELDS = ['integrity', 'crossorigin', 'needs', 'cats', 'sale', 'tcf', 'setup', 'load', 'events'] as const;

/** A registry entry in utt.js: the script URL template, the identifiers' schemas, and the rest. */
export type WireEntry = [script: string, ids: WireId[], wire: Wire];

/** An identifier's schema, as the runtime reads it. */
export const decodeId = ([name, integer, min, max, tests]: WireId): Identifier => ({
  _name: name,
  _integer: integer,
  _min: min,
  _max: max,
  _tests: tests,
});

/**
 * The runtime's view of a partner, from its script URL (template), its identifiers (decoded: a
 * per-account tag's are checked already, and it has none) and the rest of its wire form.
 */
export const decode = (script: string, ids: Identifier[], wire: Wire): Partner => {
  const [integrity, crossorigin, needs, cats, sale, tcf, setup, load] = wire;
  const partner: Partner = {
    _script: script,
    _ids: ids,
    _integrity: integrity,
    _crossorigin: crossorigin,
    _needs: needs,
    _consent: { _cats: cats, _sale: sale, _tcf: tcf },
    _setup: setup,
    _load: load,
  };
  // A build without events (a per-account tag whose partners map none) neither reads nor keeps it, and
  // utt.js has its registry's in utt.events.js.
  if (__EVENTS__ && !__EVENTS_CHUNK__) partner.ev = eventsOf(wire) || null;
  return partner;
};

/** The events block of a wire form, if it has one: destructured, so a shorter array reads no inherited index. */
const eventsOf = ([, , , , , , , , events]: Wire) => events;

/** An identifier's schema as it is written into a bundle. */
export const encodeId = (i: Identifier): WireId => [i._name, i._integer, i._min, i._max, i._tests];

/**
 * The build's side: a compiled partner (build/registry/compile.mjs) as it is written into a bundle. Its
 * optional identifiers are left out: they travel with the events mappings that name them (src/events.ts).
 */
export const encode = (p: Partner): WireEntry => [
  p._script,
  p._ids.filter((i) => !i._optional).map(encodeId),
  [
    p._integrity,
    p._crossorigin,
    p._needs,
    p._consent._cats,
    p._consent._sale,
    p._consent._tcf,
    p._setup,
    p._load,
    ...(p.ev ? [p.ev] : []),
  ] as Wire,
];
