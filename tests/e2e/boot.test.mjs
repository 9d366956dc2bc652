// The page boots to the monitor's prompt with nothing but the open ROMs built in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './harness.mjs';

let env;
let context;

before(async () => {
  env = await launch();
  context = await env.browser.newContext();
});
after(async () => env?.close());

test('the page boots to C/W/M ? and announces itself', async () => {
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('ready', (e) => { window.readyDetail = e.target; }, { once: true });
  });
  await page.goto(env.url);
  // Both are undefined before boot, so ask for the element itself, not just equality.
  await page.waitForFunction(() => window.readyDetail !== undefined && window.readyDetail === window.superboard, null, { timeout: 10_000 });
  await page.waitForFunction(() => window.superboard.screenText().includes('C/W/M ?'), null, { timeout: 10_000 });
  // The text mirror follows (it is updated at most five times a second).
  await page.waitForFunction(() => window.superboard.shadowRoot.getElementById('mirror').textContent.includes('C/W/M ?'));
  assert.equal(await page.getAttribute('#mirror', 'aria-live'), 'polite');
  await page.close();
});
