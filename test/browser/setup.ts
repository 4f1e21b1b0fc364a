// Runs once before the browser suite: it needs Chromium and the built bundle.
import { existsSync } from 'node:fs';
import { chromiumPath } from '../chromium.mjs';

export default function setup() {
  chromiumPath();
  if (!existsSync('dist/utt.js')) throw new Error('dist/utt.js is missing: run `npm run build` first (npm test does).');
}
