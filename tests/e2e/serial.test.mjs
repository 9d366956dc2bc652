// The serial terminal pane and the element's serial API: BASIC handed to the ACIA answers a
// line typed in the pane, and `serial.send` / `serialdata` work from a script.

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

test('the Serial card talks to BASIC over the ACIA', async () => {
  const page = await openPage(context, env.url, '?speed=max');
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r\r');
  await waitForText(page, 'BYTES FREE');
  await page.evaluate(() => {
    window.received = [];
    window.superboard.addEventListener('serialdata', (e) => window.received.push(...e.detail.bytes));
  });
  await page.click('#serial-handover');
  // BASIC's OK after the POKEs comes out of the line.
  await page.waitForFunction(() => document.getElementById('serial-pane').textContent.includes('OK'));
  await page.fill('#serial-input', 'PRINT 6*7');
  await page.press('#serial-input', 'Enter');
  await page.waitForFunction(() => document.getElementById('serial-pane').textContent.includes(' 42'), null, { timeout: 30_000 });
  const pane = await page.textContent('#serial-pane');
  assert.match(pane, /PRINT 6\*7\n 42 \n/);
  // The event carries the raw bytes: CR, the monitor's ten NULs, BASIC's LF.
  const raw = await page.evaluate(() => String.fromCharCode(...window.received));
  assert.ok(raw.includes(' 42 \r\0\0\0\0\0\0\0\0\0\0\n'), JSON.stringify(raw));

  // The same from a script, with turbo: bytes or a string.
  await page.check('#serial-turbo');
  await page.evaluate(() => {
    window.superboard.serial.send(new TextEncoder().encode('10 PRINT "VIA";'));
    window.superboard.serial.send('" API"\rRUN\r');
  });
  await page.waitForFunction(() => document.getElementById('serial-pane').textContent.includes('VIA API'), null, { timeout: 30_000 });
  // The screen shows it too: the line only adds a second way in and out.
  await waitForText(page, 'VIA API');
  const error = await page.evaluate(() => {
    try {
      window.superboard.serial.send(42);
      return null;
    } catch (e) {
      return e.message;
    }
  });
  assert.match(error, /bytes or a string/);
});
