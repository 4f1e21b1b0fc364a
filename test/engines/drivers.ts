// The three engines, behind one small interface, so that a scenario is
// written once and runs in each: Chromium (playwright-core), Firefox
// (puppeteer-core over WebDriver BiDi) and WebKit, Safari's engine
// (WebKitGTK's MiniBrowser through WebKitWebDriver, classic WebDriver, under
// Xvfb). All from Debian packages; no browser download. A missing engine
// fails with how to install it: never a silent skip.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
import { chromiumPath, launch as launchChromium } from '../chromium.mjs';
import { freePort } from '../free-port.mjs';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

const HOW_TO: Record<EngineName, string> = {
  chromium: 'run `apt-get install -y chromium`, or set CHROMIUM_PATH',
  firefox: 'run `apt-get install -y firefox-esr`, or set FIREFOX_PATH to a Firefox binary',
  webkit:
    'run `apt-get install -y webkit2gtk-driver xvfb` (WebKitWebDriver, MiniBrowser and Xvfb), or set WEBKIT_DRIVER_PATH and MINIBROWSER_PATH',
};

/** A page in one engine: load a URL, then run an async function body in it and get its JSON result. */
export interface EnginePage {
  goto(url: string): Promise<void>;
  /** `body` is the body of an async function, run in the page; its result comes back through JSON. */
  run<T = unknown>(body: string): Promise<T>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  /** The engine's own version string, for the report. */
  version: string;
  page(): Promise<EnginePage>;
  close(): Promise<void>;
}

const which = (name: string) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

const need = (engine: EngineName, path: string | undefined, what: string) => {
  if (!path || !existsSync(path))
    throw new Error(`${engine}: ${what} not found. The engine suite needs it: ${HOW_TO[engine]}.`);
  return path;
};

/** Paths of every engine; throws, naming the engine and the fix, when one is missing. */
export function enginePaths() {
  return {
    chromium: chromiumPath(),
    firefox: need('firefox', process.env.FIREFOX_PATH || which('firefox-esr') || which('firefox'), 'Firefox'),
    webkitDriver: need('webkit', process.env.WEBKIT_DRIVER_PATH || which('WebKitWebDriver'), 'WebKitWebDriver'),
    miniBrowser: need(
      'webkit',
      process.env.MINIBROWSER_PATH ||
        [
          '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        ].find(existsSync),
      'MiniBrowser (WebKitGTK)',
    ),
    xvfb: need('webkit', which('Xvfb'), 'Xvfb'),
  };
}

/** The body wrapped as an expression that resolves to its JSON text. */
const wrap = (body: string) => `(async () => { ${body} })().then((v) => JSON.stringify(v === undefined ? null : v))`;

/** How an engine is started: `proxy` sends all its traffic through a loopback proxy (proxy.ts). */
export interface LaunchOptions {
  proxy?: number;
}

async function chromium({ proxy }: LaunchOptions): Promise<Engine> {
  const browser: PlaywrightBrowser = await launchChromium(
    proxy ? { proxy: { server: `http://127.0.0.1:${proxy}`, bypass: '<-loopback>' } } : undefined,
  );
  return {
    name: 'chromium',
    version: browser.version(),
    async page() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      return {
        goto: async (url) => {
          await page.goto(url);
        },
        run: async (body) => JSON.parse(await page.evaluate(wrap(body))),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function firefox(path: string, { proxy }: LaunchOptions): Promise<Engine> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser: PuppeteerBrowser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: path,
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'network.proxy.allow_hijacking_localhost': !!proxy,
      ...(proxy && {
        // A test's http: page stays http: (Firefox would try https first).
        'dom.security.https_first': false,
        'dom.security.https_first_schemeless': false,
      }),
    },
  });
  return {
    name: 'firefox',
    version: await browser.version(),
    async page() {
      // The proxy is set per user context, over BiDi (browser.createUserContext).
      const context = await browser.createBrowserContext(proxy ? { proxyServer: `127.0.0.1:${proxy}` } : {});
      const page = await context.newPage();
      return {
        goto: async (url) => {
          await page.goto(url);
        },
        run: async (body) => JSON.parse((await page.evaluate(wrap(body))) as string),
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function webkit(paths: ReturnType<typeof enginePaths>, { proxy }: LaunchOptions): Promise<Engine> {
  // webdriver's own loggers read this once, when created: keep its "connecting" lines out of the test output.
  process.env.WDIO_LOG_LEVEL ||= 'silent';
  const { default: WebDriver } = await import('webdriver');
  // A display of our own, so that two suites side by side do not share one: Xvfb picks a free one and
  // writes its number to fd 3 once it is ready (-displayfd), so nothing here guesses from the clock.
  const xvfb: ChildProcess = spawn(paths.xvfb, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk;
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('exit', () => reject(new Error(`webkit: Xvfb could not start a display. ${HOW_TO.webkit}.`)));
  });
  const env = {
    ...process.env,
    DISPLAY: display,
    // WebKitGTK follows the system proxy settings, which GLib reads from these variables.
    ...(proxy && {
      http_proxy: `http://127.0.0.1:${proxy}`,
      https_proxy: `http://127.0.0.1:${proxy}`,
      no_proxy: '127.0.0.1,localhost',
    }),
  };
  /**
   * One WebKitWebDriver, in a process group of its own with its MiniBrowser, per page. A session
   * that wedges (a loaded CI run saw one hang, then every later command answer "invalid session
   * id") then takes nothing else down: closing the page ends the whole group.
   */
  const driver = async () => {
    const port = await freePort();
    const child = spawn(paths.webkitDriver, [`--port=${port}`], { stdio: 'ignore', env, detached: true });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`webkit: WebKitWebDriver exited (${code})`))),
    );
    exited.catch(() => {});
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    };
    // The driver prints nothing when it listens: wait until its port takes a connection.
    await Promise.race([exited, listening(port, () => child.exitCode === null && child.signalCode === null)]);
    return { port, kill };
  };
  const session = async () => {
    const { port, kill } = await driver();
    try {
      const client = await WebDriver.newSession({
        hostname: '127.0.0.1',
        port,
        logLevel: 'silent',
        connectionRetryCount: 0,
        capabilities: {
          browserName: 'MiniBrowser',
          acceptInsecureCerts: true,
          // A wedged navigation or script fails the command within the test's own timeout, not at WebDriver's 300 s.
          timeouts: { script: 60_000, pageLoad: 60_000, implicit: 0 },
          // Classic WebDriver: WebKitWebDriver has no BiDi, which webdriver@9 asks for by default.
          'wdio:enforceWebDriverClassic': true,
          'webkitgtk:browserOptions': { binary: paths.miniBrowser, args: ['--automation'] },
        } as WebdriverIO.Capabilities,
      });
      // Killing the group ends the driver and its browser at once: no session to wait on.
      const end = async () => kill();
      return { client, end };
    } catch (err) {
      kill();
      throw err;
    }
  };
  const drivers = new Set<() => Promise<void>>();
  const first = await session();
  const version = String((first.client.capabilities as { browserVersion?: string }).browserVersion ?? '');
  await first.end();
  return {
    name: 'webkit',
    version,
    async page() {
      const { client, end } = await session();
      drivers.add(end);
      return {
        goto: async (url) => {
          await client.navigateTo(url);
        },
        run: async (body) => {
          const text = await client.executeAsyncScript(
            `const done = arguments[arguments.length - 1];
             ${wrap(body)}.then(done, (e) => done(JSON.stringify({ __error: String(e) })));`,
            [],
          );
          const value = JSON.parse(text as string);
          if (value?.__error) throw new Error(value.__error);
          return value;
        },
        close: async () => {
          drivers.delete(end);
          await end();
        },
      };
    },
    close: async () => {
      await Promise.all([...drivers].map((end) => end()));
      xvfb.kill();
    },
  };
}

/**
 * Resolves once something listens on the loopback `port`. The driver prints nothing when it
 * listens, so a refused connection is tried again; nothing here decides by the clock (the
 * driver's exit rejects, and the test's own timeout bounds a driver that never listens).
 */
async function listening(port: number, alive: () => boolean) {
  while (alive()) {
    const refused = await new Promise<boolean>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve(true) : reject(err)));
    });
    if (!refused) return;
    // Spacing between attempts only: how long the driver takes to start changes nothing but speed.
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Launches one engine. */
export async function launchEngine(name: EngineName, options: LaunchOptions = {}): Promise<Engine> {
  const paths = enginePaths();
  try {
    return name === 'chromium'
      ? await chromium(options)
      : name === 'firefox'
        ? await firefox(paths.firefox, options)
        : await webkit(paths, options);
  } catch (err) {
    throw new Error(`${name} did not start: ${(err as Error).message}. ${HOW_TO[name]}.`);
  }
}
