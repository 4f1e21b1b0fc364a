// Where the registry's entries live.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PARTNERS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'partners');
