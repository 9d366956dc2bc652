// Snapshot benchmark in the page, run by hand (not part of `build.sh test`):
//   cd tests/e2e && node snapshot-bench.mjs
// Reports, for an 8K machine at BASIC's prompt: snapshot size, save and restore time through
// the element (wasm + copy to JS), the IndexedDB write of a resume save, and the rewind ring's
// memory after a minute of running.

import { launch } from './harness.mjs';

const ROUNDS = 500;

const env = await launch();
try {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => indexedDB.deleteDatabase('superboard-states'));
  await page.goto(`${env.url}?speed=max`);
  await page.waitForFunction(() => window.superboard?.screenText().includes('C/W/M ?'));
  await page.evaluate(() => window.superboard.type('C\r\r\r10 PRINT "HELLO"\r'));
  await page.waitForFunction(() => !window.superboard.typing && window.superboard.screenText().includes('HELLO'));

  const timing = await page.evaluate((rounds) => {
    const el = window.superboard;
    el.pause('bench');
    let bytes = el.saveState();
    let t = performance.now();
    for (let i = 0; i < rounds; i++) bytes = el.saveState();
    const saveMs = (performance.now() - t) / rounds;
    t = performance.now();
    for (let i = 0; i < rounds; i++) el.machine.load_state(bytes);
    const restoreMs = (performance.now() - t) / rounds;
    t = performance.now();
    for (let i = 0; i < rounds; i++) el.loadState(bytes, 'bench');
    const restoreElementMs = (performance.now() - t) / rounds;
    el.resume('bench');
    return { size: bytes.length, saveMs, restoreMs, restoreElementMs };
  }, ROUNDS);
  console.log(`snapshot 8K in the page: ${timing.size} bytes; save ${(timing.saveMs * 1000).toFixed(0)} µs, ` +
    `restore ${(timing.restoreMs * 1000).toFixed(0)} µs (core), ${(timing.restoreElementMs * 1000).toFixed(0)} µs ` +
    '(element: restore, redraw, panels)');

  const resumeMs = await page.evaluate(async () => {
    const el = window.superboard;
    const times = [];
    for (let i = 0; i < 20; i++) {
      el.snapshots.dirty = true;
      const t = performance.now();
      await el.snapshots.saveResume();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[10];
  });
  console.log(`resume save to IndexedDB: ${resumeMs.toFixed(1)} ms (median of 20)`);

  // The ring fills one state per second of running; after a minute, what does it hold?
  await page.evaluate(() => window.superboard.setSpeed(1));
  await page.waitForTimeout(60_000);
  const ring = await page.evaluate(() => window.superboard.snapshots.rewindInfo);
  console.log(`rewind ring after 60 s at 1×: ${ring.states} states, ${(ring.bytes / 1024).toFixed(0)} KB ` +
    `(${(ring.bytes / ring.states / 1024).toFixed(1)} KB each; the budget caps it at 300 states / 16 MB)`);
  await context.close();
} finally {
  await env.close();
}
