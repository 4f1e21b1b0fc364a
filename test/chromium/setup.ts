// Runs once before the browser suite: it needs Chromium and the built bundle.
import { ensureBuilt } from '../../build/fresh.mjs';
import { chromiumPath } from '../chromium.mjs';

export default function setup() {
  chromiumPath();
  ensureBuilt();
}
