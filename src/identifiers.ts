import type { Identifier } from './compiled';
import { bare, own } from './own';

/** Longest value accepted for any identifier, whatever its schema says, in UTF-16 units. */
export const MAX_VALUE = 1024;

/**
 * Checks one raw manifest value against its compiled schema.
 * Returns `[value]`, the canonical string to substitute, or `[, rule]`, the
 * rule it breaks: missing, type, minLength, maxLength, minimum, maximum,
 * pattern, enum or format; `[]` for an optional identifier left absent or empty.
 */
export function checkIdentifier(id: Identifier, raw: unknown): [string] | [undefined, string] | [] {
  let value: string;
  let size: number;
  // utt.js's registry has no optional identifier: they travel with the events mappings that use them,
  // in utt.events.js (build/registry/compile.mjs), which checks them here.
  if (raw == null || raw === '') return !__EVENTS_CHUNK__ && id._optional ? [] : [, 'missing'];
  if (id._integer) {
    // A JSON integer, or the same written as a string of decimal digits.
    if (typeof raw == 'number' ? !Number.isSafeInteger(raw) : typeof raw != 'string' || !/^-?\d{1,15}$/.test(raw))
      return [, 'type'];
    size = +raw;
    value = '' + size;
  } else {
    if (typeof raw != 'string') return [, 'type'];
    if (raw.length > MAX_VALUE) return [, 'maxLength'];
    value = raw;
    size = Array.from(raw).length;
  }
  if (id._min != null && size < id._min) return [, id._integer ? 'minimum' : 'minLength'];
  if (id._max != null && size > id._max) return [, id._integer ? 'maximum' : 'maxLength'];
  for (const [source, rule] of id._tests || []) if (!new RegExp(source, 'u').test(value)) return [, rule];
  return [value];
}

/**
 * Every identifier a partner declares, checked against the manifest's values: the
 * canonical values by name (an optional one left absent has none), and the broken ones
 * as [name, rule], in the registry's order. The one loop the runtime's pipeline, verify mode and the build (the hub,
 * `utt csp-check`) share.
 */
export function checkIdentifiers(ids: Identifier[], values: unknown): [Record<string, string>, [string, string][]] {
  // No prototype: setup blocks and URL templates read it by name.
  const checked: Record<string, string> = bare({});
  const broken: [string, string][] = [];
  for (const spec of ids) {
    const [value, rule] = checkIdentifier(spec, own(values, spec._name));
    if (rule) broken.push([spec._name, rule]);
    else if (__EVENTS_CHUNK__ || value != null) checked[spec._name] = value as string;
  }
  return [checked, broken];
}
