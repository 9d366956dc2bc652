// Course-page benchmark, run by hand (not part of `build.sh test`), against dist/:
//   ./build.sh dist && cd tests/e2e && node lesson-bench.mjs
// Reports:
//  1. main-thread milliseconds per frame on the example lesson (www/examples/loops.html) with
//     all three machines on screen and with one (emulation + drawing, summed over the running
//     machines: each element's smoothed cost of a frame), idle at BASIC's prompt and with every
//     visible machine printing and scrolling;
//  2. time from opening a share link to the program listed (from page.goto to the screen showing
//     BASIC's OK after the LIST, checked every 20 ms), for a short and a long
//     program.

import { launch } from './harness.mjs';

const LESSON = 'www/examples/loops.html';
const SCROLLER = '10 PRINT I:I=I+1:GOTO 10\rRUN\r';

async function frameCost(page, ids) {
  return page.evaluate(async (list) => {
    const machines = list.map((id) => document.getElementById(id));
    const frames = machines.map((m) => m.stats.frames);
    await new Promise((r) => setTimeout(r, 3000));
    return {
      ms: machines.reduce((sum, m) => sum + (m.running ? m.stats.frameCostMs : 0), 0),
      frames: machines.map((m, i) => m.stats.frames - frames[i]),
      running: machines.map((m) => m.running),
    };
  }, ids);
}

async function lessonCosts(browser, url, height, visible) {
  const context = await browser.newContext({ viewport: { width: 1000, height } });
  const page = await context.newPage();
  await page.goto(url + LESSON);
  const ids = ['count', 'table', 'sum'];
  await page.waitForFunction(() => document.getElementById('count').screenText().includes('DONE'), null, { timeout: 60_000 });
  await page.waitForTimeout(1500);
  const idle = await frameCost(page, ids);
  await page.evaluate(([list, text]) => list.forEach((id) => document.getElementById(id).type(text)), [visible, SCROLLER]);
  await page.waitForTimeout(1500);
  const busy = await frameCost(page, ids);
  await context.close();
  return { idle, busy };
}

function program(lines) {
  let text = '';
  for (let n = 1; n <= lines; n++) text += `${n * 10} PRINT "LINE ${n}";${n}*${n}:REM A SHARED PROGRAM\n`;
  return text;
}

async function shareLinkTime(browser, url, listing) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Make the link as the page does (Copy link): the listing compressed in the fragment.
  await page.goto(url);
  const compressed = await page.evaluate(async (text) => (await import('./www/params.js')).compressProgram(text), listing);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const tab = await context.newPage();
    const t0 = Date.now();
    await tab.goto(`${url}#program=z${compressed}`);
    // Listed: the load is over, nothing left to type, the last line on screen above BASIC's OK.
    await tab.waitForFunction((last) => {
      const m = window.superboard;
      if (!m?.machine || m.typing || m.deck.phase !== 'idle') return false;
      const rows = m.screenText().split('\n').map((r) => r.trim()).filter(Boolean);
      return rows.at(-2) === 'OK' && rows.at(-1) === '_' && rows.some((r) => r.startsWith(`${last} `));
    }, listing.trimEnd().split('\n').at(-1).split(' ')[0], { timeout: 90_000, polling: 20 }).catch(async (error) => {
      console.log(await tab.evaluate(() => window.superboard?.screenText()));
      throw error;
    });
    times.push(Date.now() - t0);
    await tab.close();
  }
  await context.close();
  return { times, compressedBytes: compressed.length };
}

const env = await launch();
try {
  const all = await lessonCosts(env.browser, env.url, 3400, ['count', 'table', 'sum']);
  const one = await lessonCosts(env.browser, env.url, 700, ['count']);
  const show = (label, r) => console.log(`${label}: ${r.ms.toFixed(3)} ms main-thread per frame ` +
    `(frames in 3 s per machine: ${r.frames.join('/')}, running: ${r.running.map((x) => (x ? 'yes' : 'no')).join('/')})`);
  show('lesson, 3 machines visible, idle at OK', all.idle);
  show('lesson, 3 machines visible, all scrolling', all.busy);
  show('lesson, 1 machine visible, idle at OK', one.idle);
  show('lesson, 1 machine visible, scrolling', one.busy);
  for (const lines of [5, 60]) {
    const { times, compressedBytes } = await shareLinkTime(env.browser, env.url, program(lines));
    console.log(`share link, ${lines} lines (${compressedBytes} characters in the link): listed after ` +
      `${times.map((t) => t.toFixed(0)).join(' / ')} ms (best ${Math.min(...times).toFixed(0)} ms)`);
  }
} finally {
  await env.close();
}
