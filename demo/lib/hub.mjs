// What the hub keeps beside the published manifest (hub.json, written
// atomically like the manifest): the next integration id (ids are never
// reused), each integration's history (what QA reads when something went live
// that should not have), the last outcome the merchant page reported for
// each, and the CSP preset the merchant page serves.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetNamed } from './presets.mjs';

export function createHub(dir, firstId) {
  const file = join(dir, 'hub.json');
  mkdirSync(dir, { recursive: true });
  const fresh = () => ({ nextId: firstId(), history: {}, outcomes: {}, preset: 'none' });
  let data = existsSync(file) ? { ...fresh(), ...JSON.parse(readFileSync(file, 'utf8')) } : fresh();
  const save = () => {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
    renameSync(tmp, file);
  };
  return {
    /** A new integration id, never one used before, even after a removal. */
    nextId() {
      const id = `int_${data.nextId++}`;
      save();
      return id;
    },
    /** Adds an event to an integration's history: created, verified, published, edited, unpublished, removed… */
    record(id, event, detail = '') {
      (data.history[id] ||= []).push({ at: new Date().toISOString(), event, ...(detail && { detail }) });
      save();
    },
    history: (id) => data.history[id] || [],
    /** The merchant page's last outcomes, as utt reported them there. */
    outcomes(list) {
      const at = new Date().toISOString();
      for (const o of list)
        if (o && typeof o.id === 'string' && typeof o.status === 'string')
          data.outcomes[o.id] = { status: o.status, reason: String(o.reason ?? ''), at };
      save();
    },
    lastOutcome: (id) => data.outcomes[id],
    // A name stored by an older demo that took any name is no preset.
    preset: () => (presetNamed(data.preset) ? data.preset : 'none'),
    setPreset(name) {
      if (data.preset !== name) {
        data.preset = name;
        save();
      }
    },
    reset() {
      data = fresh();
      save();
    },
  };
}
