// The partner schema (partners/schema.json) through ajv, and its errors turned
// into messages that say what to change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { PARTNERS_DIR } from '../partners-dir.mjs';

let validator;
export function schemaValidator() {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(join(PARTNERS_DIR, 'schema.json'), 'utf8')));
  }
  return validator;
}

/** Turns an ajv error into a message that says what to change. */
export function explain(err) {
  const p = err.params;
  switch (err.keyword) {
    case 'additionalProperties':
      return {
        path: `${err.instancePath}/${p.additionalProperty}`,
        message: `unknown field "${p.additionalProperty}": remove it, or check its spelling against partners/schema.json`,
      };
    case 'required':
      return {
        path: `${err.instancePath}/${p.missingProperty}`,
        message: `missing required field "${p.missingProperty}": add it (partners/schema.json describes it)`,
      };
    case 'propertyNames':
      return { path: `${err.instancePath}/${p.propertyName}`, message: `invalid name "${p.propertyName}"` };
    case 'enum':
      return {
        path: err.instancePath,
        message: `must be one of ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path: err.instancePath, message: err.message };
  }
}
