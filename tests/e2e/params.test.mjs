// Parameters: every one valid and invalid, as URL query, fragment and element attribute. A bad
// value never stops the machine: it is ignored and a dismissable note names it and what it
// accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, shared, typeAndWait, waitForText } from './harness.mjs';

const b = shared();

function notes(page) {
  return page.evaluate(() => [...window.superboard.shadowRoot.querySelectorAll('.note p')].map((p) => p.textContent));
}

async function keepsRunning(page) {
  const c0 = await page.evaluate(() => window.superboard.machine.cycles());
  await page.waitForFunction((c) => window.superboard.machine.cycles() > c + 100_000, c0);
}

test('every bad value and an unknown name: ignored, noted by name, the machine runs', async () => {
  const bad = {
    speed: '9', view: 'huge', aspect: 'round', keys: 'qwerty', mute: 'maybe', ram: '16', embed: 'perhaps',
    status: 'sometimes', autorun: 'yes please', list: '2', tape: 'https://example.org/x.bas', program: 'hello',
    'allow-origin': 'nope', colour: 'green',
  };
  const query = `?${new URLSearchParams(bad)}`;
  const page = await openPage(b.context, b.url, query);
  await page.waitForFunction((n) => window.superboard.shadowRoot.querySelectorAll('.note').length >= n, Object.keys(bad).length);
  const texts = await notes(page);
  const expected = {
    speed: '1, 2, 4 or max', view: 'tv25', aspect: 'square', keys: 'positional', mute: '=true / =false',
    ram: '4, 8 or 32', embed: '=true / =false', status: '=true / =false', autorun: '=true / =false',
    list: '=true / =false', tape: 'relative to the page', program: 'BASIC listing', 'allow-origin': 'origins',
  };
  for (const [name, accepts] of Object.entries(expected)) {
    const note = texts.find((t) => t.startsWith(`${name}=`));
    assert.ok(note, `a note for ${name} in ${JSON.stringify(texts)}`);
    assert.ok(note.includes(accepts), `${name}: ${note}`);
  }
  assert.ok(texts.some((t) => t.includes('Unknown parameter "colour"')), texts.join('\n'));
  // Defaults in force, and the machine runs.
  assert.deepEqual(await page.evaluate(() => window.superboard.settings),
    { speed: '1', view: 'tv', aspect: 'tv', keys: 'natural', shiftLock: true, osk: false, scan: false, phosphor: 'white', crt: false, margin: true });
  assert.equal(await page.evaluate(() => window.superboard.embedded), false);
  await keepsRunning(page);
  // A note goes away when dismissed.
  const count = texts.length;
  await page.click('superboard-ii .note button');
  assert.equal((await notes(page)).length, count - 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('good values: speed, view, aspect, keys, mute, ram and type take effect', async () => {
  const page = await openPage(b.context, b.url, '?speed=2&view=full&aspect=square&keys=positional&mute&ram=32&type=C%0D%0D');
  assert.deepEqual(await page.evaluate(() => window.superboard.settings),
    { speed: '2', view: 'full', aspect: 'square', keys: 'positional', shiftLock: true, osk: false, scan: false, phosphor: 'white', crt: false, margin: true });
  assert.equal(await page.evaluate(() => window.superboard.deck.audio.level()), 0);
  await waitForText(page, ' 31999 BYTES FREE');
  assert.deepEqual(await notes(page), []);
  await page.close();
});

test('the fragment works like the query and wins over it', async () => {
  const page = await openPage(b.context, b.url, '?speed=2#speed=max&view=25x25');
  assert.equal(await page.evaluate(() => window.superboard.settings.speed), 'max');
  assert.equal(await page.evaluate(() => window.superboard.settings.view), 'tv25');
  await page.close();
});

test('program: loaded through the tape and listed; with autorun, run', async () => {
  const program = '10 FOR I=1 TO 3\n20 PRINT "LOOP";I\n30 NEXT\n';
  const listed = await openPage(b.context, b.url, `#program=${encodeURIComponent(program)}`, ' 30 NEXT');
  await listed.waitForFunction(() => /LIST[\s\S]*30 NEXT\s*\nOK/.test(window.superboard.screenText()));
  assert.equal(await listed.evaluate(() => window.superboard.program()), program);
  assert.doesNotMatch(await listed.evaluate(() => window.superboard.screenText()), /LOOP 1/);
  await listed.close();
  const run = await openPage(b.context, b.url, `?autorun#program=${encodeURIComponent(program)}`, 'LOOP 3');
  await run.close();
});

test('tape with list: fetched, loaded and listed; autorun alone cold-starts BASIC', async () => {
  const tape = await openPage(b.context, b.url, '?list&tape=tests/e2e/fixtures/loop.bas', ' 20 GOTO 10');
  await tape.close();
  const autorun = await openPage(b.context, b.url, '?autorun&type=PRINT 6*7%0D', ' 42');
  await autorun.close();
});

test('embed hides the status line unless asked; status=false hides it on the page', async () => {
  const embed = await openPage(b.context, b.url, '?embed');
  assert.equal(await embed.isVisible('#status-mhz'), false);
  assert.equal(await embed.isVisible('#click-to-type'), !(await embed.evaluate(() => document.hasFocus())));
  await embed.close();
  const both = await openPage(b.context, b.url, '?embed&status');
  assert.equal(await both.isVisible('#status-mhz'), true);
  await both.close();
  const off = await openPage(b.context, b.url, '?status=false');
  assert.equal(await off.isVisible('#status-mhz'), false);
  await off.close();
});

test('attributes are the same parameters: a bad one set later is noted, the machine runs', async () => {
  const page = await openPage(b.context, b.url);
  await page.evaluate(() => window.superboard.setAttribute('speed', '4'));
  assert.equal(await page.evaluate(() => window.superboard.settings.speed), '4');
  await page.evaluate(() => window.superboard.setAttribute('view', '<img src=x onerror=alert(1)>'));
  assert.equal(await page.evaluate(() => window.superboard.settings.view), 'tv');
  const texts = await notes(page);
  assert.ok(texts.some((t) => t.startsWith('view=') && t.includes('tv25')), texts.join('\n'));
  assert.equal(await page.evaluate(() => window.superboard.shadowRoot.querySelector('img')), null);
  await keepsRunning(page);
  await typeAndWait(page, 'C');
  await page.close();
});
