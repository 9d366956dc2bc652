// Page benchmark, run by hand (not part of `build.sh test`):
//   cd tests/e2e && node bench.mjs
// Reports: page load to the C/W/M ? prompt, main-thread cost per frame at 1×, the emulated
// clock rate at maximum speed, and the wasm size (raw and gzipped).

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { launch, REPO_ROOT } from './harness.mjs';

const env = await launch();
try {
  const context = await env.browser.newContext();

  // 1. Load to prompt: navigation start (performance.timeOrigin) to the first animation frame
  // whose screen shows the prompt. Best of 5 loads (the first warms the HTTP and code caches).
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const page = await context.newPage();
    // Power-on every time, not resume-after-reload of the previous load.
    await page.addInitScript(() => indexedDB.deleteDatabase('superboard-states'));
    await page.addInitScript(() => {
      const poll = () => {
        if (window.superboard?.screenText().includes('C/W/M ?')) {
          window.promptAtMs = performance.now();
          window.promptCycles = window.superboard.machine.cycles();
          window.readyMs = window.readyAtMs;
        } else {
          requestAnimationFrame(poll);
        }
      };
      requestAnimationFrame(poll);
      document.addEventListener('ready', () => { window.readyAtMs = performance.now(); }, { once: true });
    });
    await page.goto(env.url);
    await page.waitForFunction(() => window.promptAtMs !== undefined);
    loads.push(await page.evaluate(() => window.promptAtMs));
    if (i === 4) {
      const [ready, cycles] = await page.evaluate(() => [window.readyMs, window.promptCycles]);
      console.log(`last load: ready event at ${ready.toFixed(0)} ms; the ROM drew the prompt after ${cycles} cycles (${(cycles / 983.04).toFixed(1)} ms emulated)`);
    }
    await page.close();
  }

  const page = await context.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.superboard?.screenText().includes('C/W/M ?'));

  // 2. Cost per frame at 1× with the screen changing every frame: a BASIC program printing
  // and scrolling (or, with the interim BASIC image, the 65V monitor's display).
  await page.evaluate(() => window.superboard.setSpeed('max'));
  await page.evaluate(() => window.superboard.type('C\r\r'));
  await page.waitForTimeout(500);
  const basic = (await page.evaluate(() => window.superboard.screenText())).includes('BYTES FREE');
  if (basic) await page.evaluate(() => window.superboard.type('10 PRINT I:I=I+1:GOTO 10\rRUN\r'));
  else await page.evaluate(() => window.superboard.type('M'));
  await page.waitForFunction(() => !window.superboard.typing);
  await page.evaluate(() => window.superboard.setSpeed(1));
  await page.waitForTimeout(2000);
  const at1x = await page.evaluate(async () => {
    const f0 = window.superboard.stats.frames;
    const costs = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      await new Promise((r) => requestAnimationFrame(r));
      costs.push(window.superboard.stats.frameCostMs);
    }
    return { frames: window.superboard.stats.frames - f0, costMs: costs.at(-1), mhz: window.superboard.mhz };
  });
  at1x.workload = basic ? 'BASIC printing and scrolling' : '65V monitor';

  // 3. Maximum speed.
  await page.evaluate(() => window.superboard.setSpeed('max'));
  await page.waitForTimeout(1000);
  const max = await page.evaluate(async () => {
    const m = window.superboard.machine;
    const c0 = m.cycles();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 3000));
    return (m.cycles() - c0) / ((performance.now() - t0) * 1000);
  });

  // 4. The core alone in the page: one long run_for with the screen idle at the monitor.
  const raw = await page.evaluate(() => {
    const m = window.superboard.machine;
    const t0 = performance.now();
    const cycles = m.run_for(200_000_000);
    return cycles / ((performance.now() - t0) * 1000);
  });

  const wasm = readFileSync(path.join(REPO_ROOT, 'www/pkg/superboard_bg.wasm'));
  console.log(`load to C/W/M ?: best ${Math.min(...loads).toFixed(0)} ms, all ${loads.map((t) => t.toFixed(0)).join(' ')} ms`);
  console.log(`1×: ${at1x.costMs.toFixed(3)} ms main-thread per frame (emulation + drawing; ${at1x.workload}), ${at1x.frames} frames in 3 s, ${at1x.mhz.toFixed(3)} MHz`);
  console.log(`max speed: ${max.toFixed(1)} emulated MHz in the page (${raw.toFixed(1)} MHz for the core alone in one run_for)`);
  console.log(`wasm: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped`);
} finally {
  await env.close();
}
