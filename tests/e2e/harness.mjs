// Shared set-up for the end-to-end tests: one headless Chromium (Debian's, driven by
// playwright-core) and a static server for the repository root. build.sh starts the server and
// passes its address in SUPERBOARD_URL; run by hand without it, the harness starts
// `python3 -m http.server` on a free port itself.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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
  serverProcess = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port)], {
    cwd: REPO_ROOT,
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
// dropped first, on every load of this page, unless `keepStates` (the resume tests).
export async function openPage(context, url, query = '', text = 'C/W/M ?', { keepStates = false } = {}) {
  const page = await context.newPage();
  if (!keepStates) await page.addInitScript(() => indexedDB.deleteDatabase('superboard-states'));
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
