// Every keyboard: typing that skips what the Superboard cannot make, Tab leaving the machine,
// natural mode following KeyboardEvent.key.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, typeAndWait, waitForText } from './harness.mjs';

let env;
let context;

before(async () => {
  env = await launch();
  context = await env.browser.newContext();
});
after(async () => env?.close());

// A page in BASIC at the OK prompt, at maximum speed.
async function basicPage(ctx = context, query = '') {
  const page = await openPage(ctx, env.url, `?speed=max${query}`);
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r\r');
  await waitForText(page, 'BYTES FREE');
  return page;
}

function paste(page, text) {
  return page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, text);
}

function lastLines(page, n) {
  return page.evaluate((count) => window.superboard.screenText().trimEnd().split('\n')
    .slice(-count).map((l) => l.trimEnd()), n);
}

test('a paste with | types everything else and says which character was left out', async () => {
  const page = await basicPage();
  await paste(page, '10 PRINT "A|B";7*6\nRUN\n');
  await page.waitForFunction(() => /AB 42/.test(window.superboard.screenText()));
  const message = await page.textContent('#status-message');
  assert.match(message, /left out 1 character/);
  assert.match(message, /“\|” \(line 1, column 12\)/);
  await page.close();
});

test('type= with characters the keyboard lacks types the rest', async () => {
  const page = await openPage(context, env.url, `?speed=max&type=${encodeURIComponent('C{~')}`);
  await waitForText(page, 'MEMORY SIZE?');
  assert.match(await page.textContent('#status-message'), /left out 2 characters.*“\{” \(character 2\), “~” \(character 3\)/);
  await page.close();
});

test('Tab moves the focus out of the machine and types nothing', async () => {
  const page = await basicPage();
  const before = await page.evaluate(() => window.superboard.screenText());
  await page.evaluate(() => window.superboard.focus());
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUPERBOARD-II');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.tagName);
  assert.ok(['BUTTON', 'SUMMARY', 'INPUT', 'SELECT', 'A'].includes(focused), `focus on ${focused}`);
  // Keys aimed at the focused control stay with it: Tab again, and a letter, are not the
  // machine's.
  await page.keyboard.press('Tab');
  await page.keyboard.press('x');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.superboard.typing), false);
  assert.equal(await page.evaluate(() => window.superboard.screenText()), before);
  await page.close();
});

test('natural mode types what the key says: an AltGr character and a non-Latin Ctrl-C', async () => {
  const page = await basicPage();
  // A German keyboard: AltGr+8 says "[" (Chrome on Windows reports AltGr as Ctrl+Alt), and
  // the key in the US "Y" place says "Z".
  await page.evaluate(() => {
    const press = (init) => window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    press({ key: '[', code: 'Digit8', ctrlKey: true, altKey: true });
    press({ key: 'z', code: 'KeyY' });
    press({ key: 'Enter', code: 'Enter' });
  });
  await page.waitForFunction(() => !window.superboard.typing);
  await page.waitForFunction(() => /\?SN ERROR/.test(window.superboard.screenText()));
  // A Russian layout: Ctrl + the key that says "с" is still Ctrl-C by its position.
  await typeAndWait(page, '10 GOTO 10\rRUN\r');
  await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown',
    { bubbles: true, cancelable: true, key: 'с', code: 'KeyC', ctrlKey: true })));
  await page.waitForFunction(() => /BREAK IN +10/.test(window.superboard.screenText()));
  const lines = await lastLines(page, 24);
  assert.ok(lines.includes('[Z'), lines.join('\n'));
  await page.close();
});
