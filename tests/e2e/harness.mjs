// Shared set-up for the end-to-end tests: one headless Chromium (Debian's, driven by
// playwright-core) and a static server for dist/ (what gets deployed; `./build.sh dist` writes
// it). build.sh starts `superboard serve` and passes its address in SUPERBOARD_URL; run by hand
// without it, the harness starts `python3 -m http.server` in dist/ on a free port itself.
// Test fixtures are not part of dist/: every context the harness makes answers requests for
// tests/e2e/fixtures/ from the repository itself.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(REPO_ROOT, 'dist');
const FIXTURES = path.join(REPO_ROOT, 'tests/e2e/fixtures');

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, tries = 100) {
  for (let i = 0; i < tries; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no server at ${url}`);
}

let serverProcess = null;

export async function baseUrl() {
  if (process.env.SUPERBOARD_URL) return process.env.SUPERBOARD_URL.replace(/\/?$/, '/');
  const port = await freePort();
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('no dist/: run ./build.sh dist first');
  serverProcess = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port)], {
    cwd: DIST,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}/`;
  await waitForServer(url);
  return url;
}

export async function launch(extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  const url = await baseUrl();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.route(/\/tests\/e2e\/fixtures\/[^/?#]+$/, (route) => {
      const name = path.basename(new URL(route.request().url()).pathname);
      const file = path.join(FIXTURES, name);
      if (existsSync(file)) route.fulfill({ path: file });
      else route.fulfill({ status: 404, body: 'not found' });
    });
    return context;
  };
  return {
    browser,
    url,
    async close() {
      await browser.close();
      serverProcess?.kill();
      serverProcess = null;
    },
  };
}

// Opens the page (with optional query string) and waits until the machine is running and the
// screen shows `text` (default: the monitor's prompt). The machine starts from power-on: the
// state a previous page of the context left for resume-after-reload (www/snapshots.js) is
// dropped first, on every load of this page, unless `keepStates` (the resume tests); so is the
// tape shelf (www/tape-shelf.js) unless `keepTapes` (the shelf tests).
export async function openPage(context, url, query = '', text = 'C/W/M ?', { keepStates = false, keepTapes = false } = {}) {
  const page = await context.newPage();
  if (!keepStates) await page.addInitScript(() => indexedDB.deleteDatabase('superboard-states'));
  if (!keepTapes) await page.addInitScript(() => indexedDB.deleteDatabase('superboard-tapes'));
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(new Error(message.text()));
  });
  page.errors = errors;
  await page.goto(url + query);
  await page.waitForFunction(() => window.superboard !== undefined);
  await waitForText(page, text);
  return page;
}

export async function waitForText(page, text, timeout = 20_000) {
  try {
    await page.waitForFunction((t) => window.superboard.screenText('full').includes(t), text, { timeout });
  } catch (error) {
    const screen = await page.evaluate(() => window.superboard.screenText('full'));
    throw new Error(`screen never showed ${JSON.stringify(text)}; it shows:\n${screen}`, { cause: error });
  }
}

// Types text through the page's own typist and waits until the last character is taken.
export async function typeAndWait(page, text, timeout = 30_000) {
  await page.evaluate((t) => window.superboard.type(t), text);
  await page.waitForFunction(() => !window.superboard.typing, null, { timeout });
}

// One browser (and one context with `contextOptions`) for a test file: `const b = shared()`
// at the top, then `b.env`, `b.url` and `b.context` inside the tests.
export function shared(contextOptions = {}, launchArgs = []) {
  const browser = {};
  before(async () => {
    browser.env = await launch(launchArgs);
    browser.url = browser.env.url;
    browser.context = await browser.env.browser.newContext(contextOptions);
  });
  after(async () => browser.env?.close());
  return browser;
}
