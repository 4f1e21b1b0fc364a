// Where the registry's entries live: partners/ beside build/. This file sits
// one level below the package root, as dist/cli.mjs (which bundles it) does.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PARTNERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'partners');
