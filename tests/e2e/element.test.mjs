// <superboard-ii> on a course page: the example lesson's machines preloaded through attributes,
// elements created by a script running independently, an off-screen element standing still,
// and the element's methods and events.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from './harness.mjs';

const b = shared({ viewport: { width: 1000, height: 800 } });

const LESSON = 'www/examples/loops.html';

async function lesson() {
  const page = await b.context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  await page.goto(b.url + LESSON);
  await page.waitForFunction(() => customElements.get('superboard-ii') !== undefined);
  return page;
}

// Adds machines at the top of the page (and optionally one far below), returns when booted.
async function addMachines(page, count, farBelow = false) {
  await page.evaluate(async ([n, below]) => {
    const made = [];
    for (let i = 0; i < n; i++) {
      const element = document.createElement('superboard-ii');
      element.id = `m${i}`;
      element.style.maxWidth = '300px';
      document.body.prepend(element);
      made.push(element);
    }
    if (below) {
      const spacer = document.createElement('div');
      spacer.style.height = '5000px';
      const element = document.createElement('superboard-ii');
      element.id = 'below';
      document.body.append(spacer, element);
      made.push(element);
    }
    await Promise.all(made.map((e) => e.ready));
  }, [count, farBelow]);
}

function text(page, id) {
  return page.evaluate((i) => document.getElementById(i).screenText(), id);
}

function cycles(page, id) {
  return page.evaluate((i) => document.getElementById(i).machine.cycles(), id);
}

test('the lesson preloads its machines through attributes: one ran its loop, one listed', async () => {
  const page = await lesson();
  await page.waitForFunction(() => document.getElementById('count').screenText().includes('DONE, I IS NOW 11'));
  await page.locator('#sum').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.getElementById('sum').program().includes('30 IF S<=100 THEN 20'));
  assert.equal(await page.evaluate(() => document.getElementById('count').program()),
    '10 FOR I=1 TO 10\n20 PRINT I;\n30 NEXT I\n40 PRINT\n50 PRINT "DONE, I IS NOW";I\n');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('two machines run independently: typing into one leaves the other as it was', async () => {
  const page = await lesson();
  await addMachines(page, 2);
  await page.waitForFunction(() => ['m0', 'm1'].every((id) => document.getElementById(id).screenText().includes('C/W/M ?')));
  await page.waitForTimeout(300);
  const other = await text(page, 'm1');
  // Keys go to the focused machine only: click one, type on the keyboard.
  await page.click('#m0');
  await page.keyboard.type('C');
  await page.waitForFunction(() => document.getElementById('m0').screenText().includes('MEMORY SIZE?'));
  await page.evaluate(() => document.getElementById('m0').type('\r\r'));
  await page.waitForFunction(() => document.getElementById('m0').screenText().includes('BYTES FREE'));
  assert.equal(await text(page, 'm1'), other);
  assert.ok(await cycles(page, 'm1') > 0, 'the other machine ran too');
  // Unfocused, a machine says how to type into it; Tab moves the focus on.
  assert.equal(await page.isVisible('#m1 >> #click-to-type'), true);
  assert.equal(await page.isVisible('#m0 >> #click-to-type'), false);
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'm0');
  await page.close();
});

test('an off-screen machine does not advance its cycle counter until scrolled into view', async () => {
  const page = await lesson();
  await addMachines(page, 0, true);
  const c0 = await cycles(page, 'below');
  await page.waitForTimeout(600);
  assert.equal(await cycles(page, 'below'), c0, 'still while off screen');
  await page.locator('#below').scrollIntoViewIfNeeded();
  await page.waitForFunction((c) => document.getElementById('below').machine.cycles() > c + 100_000, c0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  const c1 = await cycles(page, 'below');
  await page.waitForTimeout(500);
  assert.equal(await cycles(page, 'below'), c1, 'still again once scrolled away');
  await page.close();
});

test('methods and events: ready, type, screenText, screenchange, program, programend, loadTape, reset, setSpeed, tapesaved', async () => {
  const page = await lesson();
  await page.evaluate(() => {
    window.seen = [];
    const element = document.createElement('superboard-ii');
    element.id = 'api';
    for (const type of ['ready', 'screenchange', 'programend', 'tapeloaded', 'tapesaved']) {
      element.addEventListener(type, (e) => window.seen.push({ type, detail: e.detail === element ? 'element' : e.detail }));
    }
    document.body.prepend(element);
  });
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'ready'));
  assert.equal((await page.evaluate(() => window.seen.find((e) => e.type === 'ready'))).detail, 'element');
  await page.evaluate(() => document.getElementById('api').setSpeed('max'));
  await assert.rejects(page.evaluate(() => document.getElementById('api').setSpeed(3)), /speed must be 1, 2, 4 or "max"/);
  await page.evaluate(() => document.getElementById('api').type('C\r\r10 FOR I=1 TO 3:PRINT "API";I:NEXT\rRUN\r'));
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'programend'));
  const end = await page.evaluate(() => window.seen.find((e) => e.type === 'programend').detail.text);
  assert.match(end, /API 3/);
  assert.match(await text(page, 'api'), /API 3\s*\nOK/);
  // screenchange: throttled (at most five a second), carrying the screen's text.
  const changes = await page.evaluate(() => window.seen.filter((e) => e.type === 'screenchange'));
  assert.ok(changes.length >= 1);
  assert.ok(changes.some((e) => e.detail.text.includes('API')));
  const burst = await page.evaluate(async () => {
    window.seen.length = 0;
    document.getElementById('api').type('10 PRINT I:I=I+1:GOTO 10\rRUN\r');
    await new Promise((r) => setTimeout(r, 1000));
    return window.seen.filter((e) => e.type === 'screenchange').length;
  });
  assert.ok(burst >= 2 && burst <= 7, `${burst} screenchange events in a second of scrolling`);
  await page.evaluate(() => document.getElementById('api').reset());
  await page.waitForFunction(() => document.getElementById('api').screenText().includes('C/W/M ?'));
  await page.evaluate(() => document.getElementById('api').type('W'));
  await page.waitForFunction(() => document.getElementById('api').program() === '10 PRINT I:I=I+1:GOTO 10\n');
  // loadTape → tapeloaded; SAVE → tapesaved with the listing.
  const info = await page.evaluate(() => document.getElementById('api').loadTape('10 PRINT 1\n', 'one.bas'));
  assert.equal(info.name, 'one.bas');
  assert.equal(info.kind, 'listing');
  assert.ok(await page.evaluate(() => window.seen.some((e) => e.type === 'tapeloaded' && e.detail.name === 'one.bas')));
  await page.evaluate(() => document.getElementById('api').deck.saveProgram());
  await page.waitForFunction(() => window.seen.some((e) => e.type === 'tapesaved'), null, { timeout: 60_000 });
  assert.match(await page.evaluate(() => window.seen.find((e) => e.type === 'tapesaved').detail.listing), /10 PRINT I:I=I\+1:GOTO 10/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
