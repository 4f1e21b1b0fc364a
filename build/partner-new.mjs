// `utt partner new <key>`: scaffolds partners/<key>.json, from flags or, on a
// terminal, by asking. The entry it writes references partners/schema.json,
// so editors validate and autocomplete it, and it passes `utt check`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CliError } from './cli-error.mjs';
import { PARTNERS_DIR, partnersDir } from './partners-dir.mjs';
import { errorsOf, formatProblems, loadRegistry } from './registry.mjs';
import { templateURL } from './template.mjs';

const USAGE = `usage: utt partner new <key> [options]

  <key>                     lowercase letters, digits and single hyphens: acme-tags
  --name "<name>"           display name shown to merchants
  --contact <e-mail>        where the hub's "alert the partner" e-mails go
  --script <url>            https URL template, e.g. https://cdn.acme.example/t.js?site={site}
  --identifier <name>:<type>:<example>
                            an identifier the merchant fills in (repeatable); type is
                            string or integer
  --connect <source> --img <source> --frame <source>
                            other CSP sources the partner needs (repeatable)
  --partners <dir>          where to write <key>.json (default ./partners; never inside
                            node_modules)
  --help                    this text

Missing values are asked for on a terminal. Exit 0 when written, 2 on bad usage.`;

const KEY = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** @type {import('./cli.mjs').Command} */
export const partnerNewCommand = {
  usage: USAGE,
  positionals: true,
  options: {
    name: { type: 'string' },
    contact: { type: 'string' },
    script: { type: 'string' },
    identifier: { type: 'string', multiple: true },
    connect: { type: 'string', multiple: true },
    img: { type: 'string', multiple: true },
    frame: { type: 'string', multiple: true },
  },
  run: (args) => partnerNew(args),
};

/**
 * Writes <dir>/<key>.json; returns the exit code. `input` and `output`: the terminal it asks on.
 * @param {{ values: Record<string, any>, positionals: string[] }} args
 */
export async function partnerNew({ values, positionals }, { input = process.stdin, output = process.stdout } = {}) {
  const [key, extra] = positionals;
  if (extra !== undefined) throw new CliError(`one key at a time: unexpected "${extra}"`, { usage: true });
  if (!key || !KEY.test(key) || key.length > 40)
    throw new CliError(`"${key ?? ''}" is not a valid key: lowercase letters, digits and single hyphens, 40 at most`);
  const { dir } = partnersDir(values.partners, { write: true });
  const file = join(dir, `${key}.json`);
  if (existsSync(file))
    throw new CliError(`${relative(process.cwd(), file)} already exists: choose another key, or edit it`);

  const ask = input.isTTY ? createInterface({ input, output }) : undefined;
  const need = async (value, question, flag) => {
    if (value) return value;
    if (!ask) throw new CliError(`missing ${flag} (or run it on a terminal to be asked)`);
    return (await ask.question(`${question}: `)).trim();
  };
  try {
    const name = await need(values.name, 'Display name', '--name');
    const contact = await need(values.contact, 'Contact e-mail', '--contact');
    const script = await need(
      values.script,
      'Script URL template (https://..., {identifier} placeholders)',
      '--script',
    );
    const ids = values.identifier || [];
    if (!ids.length) {
      const names = [...script.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const id of names)
        ids.push(
          `${id}:${await need('', `Type of {${id}} (string or integer)`, '--identifier')}:${await need('', `Example of {${id}}`, '--identifier')}`,
        );
      if (!ids.length) throw new CliError('give at least one --identifier <name>:<type>:<example>');
    }
    const identifiers = {};
    for (const spec of ids) {
      const [idName, type = 'string', ...example] = spec.split(':');
      const value = example.join(':');
      if (!idName || !['string', 'integer'].includes(type) || !value)
        throw new CliError(`--identifier takes <name>:<type>:<example> with type string or integer, not "${spec}"`);
      identifiers[idName] = {
        type,
        ...(type === 'string' ? { maxLength: 64 } : { minimum: 1 }),
        label: idName.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()),
        description: `TODO: where the merchant finds their ${idName}.`,
        example: type === 'integer' ? Number(value) : value,
      };
    }
    let origin;
    try {
      origin = templateURL(script).origin;
    } catch {
      throw new CliError(`--script is not a URL: ${script}`);
    }
    const csp = { 'script-src': [origin] };
    for (const type of ['connect', 'img', 'frame']) if (values[type]?.length) csp[`${type}-src`] = values[type];
    // The package's schema, wherever the entry is written: editors validate and complete it as you type.
    const schema = relative(dir, join(PARTNERS_DIR, 'schema.json')).split(sep).join('/');
    const entry = {
      $schema: schema.startsWith('.') ? schema : `./${schema}`,
      key,
      name,
      contact,
      identifiers,
      script,
      csp,
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);

    const { problems } = loadRegistry({ dirs: [dir], only: key });
    const shown = relative(process.cwd(), file);
    output.write(`wrote ${shown}\n`);
    if (problems.length) output.write(`\n${formatProblems(problems)}\n`);
    output.write(`
next steps:
  1. In ${shown}, replace each TODO (utt check fails until you do), give each identifier a
     real label and example, and tighten it
     (pattern, enum, format: hostname or uuid); add a "consent" block if the partner needs one.
  2. npm run registry:check      every problem, with file:line:column and the fix
  3. npm run demo                add the partner in the hub and watch it load on the merchant page
  4. npm test, then open a pull request (CONTRIBUTING.md)
`);
    // The scaffold's TODOs fail `utt check` until they are written; anything else is an error now.
    return errorsOf(problems).some((p) => !p.scaffold) ? 1 : 0;
  } finally {
    ask?.close();
  }
}
