// Finds and launches the Chromium that the browser suite and `npm run bench`
// run in. There is no silent skip: without a Chromium, both fail and say how
// to get one.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const HOW_TO =
  'The browser suite needs Chromium: run `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.';

/** @returns {string} */
export function chromiumPath() {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist. ${HOW_TO}`);
    return given;
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error(`No Chromium found. ${HOW_TO}`);
}

/**
 * @param {Pick<import('playwright-core').LaunchOptions, 'proxy'>} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export const launch = (options) =>
  chromium.launch({
    ...options,
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
