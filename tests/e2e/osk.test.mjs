// The on-screen Superboard keyboard on a phone (touch emulation), its live matrix picture, the
// phone layout in both orientations, and gamepads (a mocked navigator.getGamepads).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, typeAndWait, waitForText } from './harness.mjs';

const PHONE = { hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
let env;

before(async () => {
  env = await launch();
});
after(async () => env?.close());

async function phonePage(width, height, query = '') {
  const context = await env.browser.newContext({ ...PHONE, viewport: { width, height } });
  const page = await openPage(context, env.url, query);
  page.context = context;
  return page;
}

// Cold start into BASIC at max speed, then back to 1× so taps are as long as a finger's.
async function toBasic(page) {
  await page.evaluate(() => window.superboard.setSpeed('max'));
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r\r');
  await waitForText(page, 'BYTES FREE');
  await page.evaluate(() => window.superboard.setSpeed(1));
}

const key = (name) => `.osk-key[data-key="${name}"]`;

async function tapKeys(page, names) {
  for (const name of names) await page.tap(key(name));
}

test('on a phone the keyboard is there by itself; tapping keys types a program that runs', async () => {
  const page = await phonePage(390, 844);
  assert.equal(await page.isVisible('.osk'), true, 'shown on a touch screen');
  await toBasic(page);
  // 10 PRINT 6*7 ⏎ RUN ⏎ — the * is SHIFT (latched for one key) then ":".
  await tapKeys(page, ['Digit1', 'Digit0', 'Space', 'P', 'R', 'I', 'N', 'T', 'Space', 'Digit6']);
  await page.tap(key('LeftShift'));
  assert.match(await page.getAttribute(key('LeftShift'), 'class'), /osk-latched/);
  await tapKeys(page, ['Colon']);
  assert.doesNotMatch(await page.getAttribute(key('LeftShift'), 'class'), /osk-latched/, 'the latch is used up');
  await tapKeys(page, ['Digit7', 'Return', 'R', 'U', 'N', 'Return']);
  await waitForText(page, '10 PRINT 6*7');
  await page.waitForFunction(() => /RUN\s*\n\s*42\s*\n/.test(window.superboard.screenText()));
  assert.deepEqual(page.errors, []);
  await page.context.close();
});

test('keys light as the matrix sees them, and the rows as the ROM scans them', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await openPage(context, env.url, '?osk=on');
  await page.evaluate(() => window.superboard.showScan(true));
  assert.equal(await page.isVisible('.osk-matrix'), true);
  const glow = () => page.evaluate(() => {
    const root = window.superboard.shadowRoot;
    return Array.from({ length: 8 }, (_, row) => Number(root.querySelectorAll('.osk-matrix tbody tr')[row].style.getPropertyValue('--osk-glow') || 0));
  });
  // At the prompt the monitor walks every row.
  await page.waitForFunction(() => {
    const rows = window.superboard.shadowRoot.querySelectorAll('.osk-matrix tbody tr');
    return [...rows].every((tr) => Number(tr.style.getPropertyValue('--osk-glow')) > 0);
  });
  // Hold A (row 1) with the mouse: A lights, and the scan stops at row 1 — rows 2–7 go dark.
  const box = await page.locator(key('A')).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForFunction(() => window.superboard.shadowRoot.querySelector('.osk-key[data-key="A"]').classList.contains('osk-down'));
  await page.waitForFunction(() => {
    const rows = [...window.superboard.shadowRoot.querySelectorAll('.osk-matrix tbody tr')];
    const level = (row) => Number(rows[row].style.getPropertyValue('--osk-glow') || 0);
    return level(1) > 0 && [2, 3, 4, 5, 6, 7].every((row) => level(row) === 0);
  });
  const cell = await page.evaluate(() => window.superboard.shadowRoot.querySelectorAll('.osk-matrix tbody tr')[1]
    .querySelectorAll('td')[1].className);
  assert.match(cell, /osk-down/, 'the matrix table shows A at row 1, bit 6');
  assert.match(await page.textContent('.osk-caption'), /\$DF00 ← \$[0-9A-F]{2} selects row/);
  await page.mouse.up();
  await page.waitForFunction(() => !window.superboard.shadowRoot.querySelector('.osk-key[data-key="A"]').classList.contains('osk-down'));
  // Let go, the scan walks all eight rows again.
  await page.waitForFunction(() => [...window.superboard.shadowRoot.querySelectorAll('.osk-matrix tbody tr')]
    .every((tr) => Number(tr.style.getPropertyValue('--osk-glow')) > 0));
  const levels = await glow();
  assert.equal(levels.length, 8);
  // The typist's keys light too, for the frame or two it holds them (about 20,000 cycles; on a
  // loaded machine one frame may run all of it): watch the class change, then go dark.
  const watchLight = (name) => page.evaluate((n) => {
    const button = window.superboard.shadowRoot.querySelector(`.osk-key[data-key="${n}"]`);
    window.lit = false;
    new MutationObserver(() => { window.lit ||= button.classList.contains('osk-down'); })
      .observe(button, { attributes: true, attributeFilter: ['class'] });
  }, name);
  const dark = (name) => page.waitForFunction((n) => !window.superboard.typing
    && !window.superboard.shadowRoot.querySelector(`.osk-key[data-key="${n}"]`).classList.contains('osk-down'), name);
  await watchLight('M');
  await page.evaluate(() => window.superboard.type('M'));
  await page.waitForFunction(() => window.lit);
  await dark('M');
  // The slow frame made on purpose: with the loop paused, a whole keystroke runs in one go (1
  // in the monitor M started) and the key is up again before the keyboard draws; it lights all
  // the same.
  await watchLight('Digit1');
  const upBeforeDrawn = await page.evaluate(() => {
    const sb = window.superboard;
    sb.pause('test');
    sb.type('1');
    while (sb.typing) sb.machine.run_for_watching_basic(1000);
    const up = (sb.machine.key_matrix()[7] & 0x80) === 0;
    sb.resume('test');
    return up;
  });
  assert.equal(upBeforeDrawn, true, '1 (row 7, column 7) was pressed and let go between two frames');
  await page.waitForFunction(() => window.lit);
  await dark('Digit1');
  assert.deepEqual(page.errors, []);
  await context.close();
});

// Everything inside the viewport, and nothing wider than it.
async function layout(page) {
  return page.evaluate(() => {
    const root = window.superboard.shadowRoot;
    const rect = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height }; };
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      scrollWidth: document.documentElement.scrollWidth,
      canvas: rect(root.getElementById('screen')),
      osk: rect(root.querySelector('.osk')),
      landscape: root.querySelector('.machine').classList.contains('landscape'),
    };
  });
}

function assertFits(l, what) {
  assert.ok(l.scrollWidth <= l.viewport.width, `${what}: no horizontal scroll (${l.scrollWidth} > ${l.viewport.width})`);
  for (const part of ['canvas', 'osk']) {
    const r = l[part];
    assert.ok(r.left >= 0 && r.top >= 0 && r.right <= l.viewport.width + 0.5 && r.bottom <= l.viewport.height + 0.5,
      `${what}: the whole ${part} is on screen ${JSON.stringify(r)} in ${JSON.stringify(l.viewport)}`);
  }
}

test('phone layout: whole screen and keyboard, no sideways scroll, in both orientations', async () => {
  const page = await phonePage(390, 844);
  await page.waitForFunction(() => window.superboard.shadowRoot.getElementById('screen').getBoundingClientRect().width > 0);
  const portrait = await layout(page);
  assertFits(portrait, 'portrait');
  assert.equal(portrait.landscape, false);
  assert.ok(portrait.canvas.bottom <= portrait.osk.top, 'the screen is above the keyboard');
  assert.ok(portrait.canvas.width >= 0.8 * portrait.viewport.width, `the screen uses the width (${portrait.canvas.width}px)`);
  // The controls are folded into a menu.
  assert.equal(await page.isVisible('#menu-toggle'), true);
  assert.equal(await page.isVisible('#machine-card'), false);
  await page.tap('#menu-toggle');
  await page.waitForFunction(() => document.getElementById('machine-card').checkVisibility());
  await page.tap('#menu-toggle');

  // Rotate.
  await page.setViewportSize({ width: 844, height: 390 });
  await page.waitForFunction(() => window.superboard.shadowRoot.querySelector('.machine').classList.contains('landscape'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const landscape = await layout(page);
  assertFits(landscape, 'landscape');
  assert.ok(landscape.canvas.right <= landscape.osk.left, 'the screen is beside the keyboard');
  assert.ok(landscape.canvas.height >= 0.5 * landscape.viewport.height, `the screen uses the height (${landscape.canvas.height}px)`);

  // And back.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => !window.superboard.shadowRoot.querySelector('.machine').classList.contains('landscape'));
  assertFits(await layout(page), 'portrait again');
  await page.context.close();
});

test('a gamepad presses the keys its mapping names; bad parts of the mapping are a note', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    const button = () => ({ pressed: false, touched: false, value: 0 });
    window.testPad = {
      id: 'Test pad', index: 0, connected: true, mapping: 'standard', timestamp: 0,
      axes: [0, 0, 0, 0], buttons: Array.from({ length: 17 }, button),
    };
    navigator.getGamepads = () => [window.testPad, null, null, null];
  });
  const page = await openPage(context, env.url, '?gamepad=a:C,b:RETURN,up:Q,fire:SPACE');
  assert.match(await page.textContent('.notes'), /gamepad=.*"fire" is not a gamepad control/);
  const setButton = (index, pressed) => page.evaluate(([i, p]) => {
    window.testPad.buttons[i] = { pressed: p, touched: p, value: p ? 1 : 0 };
  }, [index, pressed]);
  const matrixHas = (row, column) => page.waitForFunction(([r, c]) => (window.superboard.machine.key_matrix()[r] >> c) & 1, [row, column]);
  // A press the ROM cannot miss: held until 60,000 emulated cycles have passed (the poller
  // accepts a key after about 5,600), then let go.
  const pressButton = async (index, row, column) => {
    await setButton(index, true);
    await matrixHas(row, column);
    const pressedAt = await page.evaluate(() => window.superboard.machine.cycles());
    await page.waitForFunction((c) => window.superboard.machine.cycles() > c + 60_000, pressedAt);
    await setButton(index, false);
    await page.waitForFunction(([r, c]) => !((window.superboard.machine.key_matrix()[r] >> c) & 1), [row, column]);
  };
  // a → C (row 2, column 6): the monitor's cold start; b → RETURN (row 5, column 3) for each of
  // BASIC's two questions.
  await pressButton(0, 2, 6);
  await waitForText(page, 'MEMORY SIZE?');
  await pressButton(1, 5, 3);
  await waitForText(page, 'TERMINAL WIDTH?');
  await pressButton(1, 5, 3);
  await waitForText(page, 'BYTES FREE');
  // The stick: up → Q (row 1, column 7); the unmapped default left → A.
  await page.evaluate(() => { window.testPad.axes[1] = -1; });
  await matrixHas(1, 7);
  await page.evaluate(() => { window.testPad.axes[1] = 0; window.testPad.axes[0] = -0.9; });
  await matrixHas(1, 6);
  await page.evaluate(() => { window.testPad.axes[0] = 0; });
  await page.waitForFunction(() => window.superboard.machine.key_matrix()[1] === 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});
