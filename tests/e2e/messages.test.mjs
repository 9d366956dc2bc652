// The postMessage API of an embedded page: commands answered and events sent to allowed
// origins only (default: the page's own); a page on another origin is ignored unless listed
// in allow-origin.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from './harness.mjs';

// "other.test" is a second origin served by the same server.
const b = shared({}, ['--host-resolver-rules=MAP other.test 127.0.0.1']);

// A parent page at `parentUrl` holding an <iframe> of the embedded page at `frameUrl`, with a
// `send(name, ...args)` that resolves with the reply (or 'no reply' after a second).
async function parent(parentUrl, frameUrl) {
  const page = await b.context.newPage();
  await page.goto(parentUrl);
  await page.evaluate(async (src) => {
    window.events = [];
    window.replies = new Map();
    window.addEventListener('message', (event) => {
      if (event.source !== window.frame?.contentWindow) return; // the lesson's own iframe talks too
      const m = event.data;
      if (m?.superboard === 'event') window.events.push(m);
      if (m?.superboard === 'reply') window.replies.set(m.id, m);
    });
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.style.cssText = 'width:400px;height:300px;position:fixed;top:0;left:0;border:0';
    document.body.prepend(frame);
    window.frame = frame;
    let id = 0;
    window.send = async (name, ...args) => {
      const mine = ++id;
      frame.contentWindow.postMessage({ superboard: 'command', id: mine, name, args }, new URL(src).origin);
      const t0 = performance.now();
      while (performance.now() - t0 < 1500) {
        if (window.replies.has(mine)) return window.replies.get(mine);
        await new Promise((r) => setTimeout(r, 20));
      }
      return 'no reply';
    };
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
  }, frameUrl);
  return page;
}

async function until(page, name, args, test, tries = 100) {
  for (let i = 0; i < tries; i++) {
    const reply = await page.evaluate(([n, a]) => window.send(n, ...a), [name, args]);
    if (test(reply)) return reply;
    await page.waitForTimeout(100);
  }
  throw new Error(`${name} never gave the expected reply`);
}

test('same origin: commands answered, events delivered', async () => {
  const page = await parent(`${b.url}www/examples/loops.html`, `${b.url}index.html?embed&speed=max`);
  await page.waitForFunction(() => window.events.some((e) => e.name === 'ready'));
  await until(page, 'screenText', [], (r) => r.result?.includes('C/W/M ?'));
  assert.deepEqual(await page.evaluate(() => window.send('type', 'C\r\r10 PRINT "VIA MESSAGE"\rRUN\r')), { superboard: 'reply', id: 2, result: true });
  await page.waitForFunction(() => window.events.some((e) => e.name === 'programend'));
  assert.match((await page.evaluate(() => window.events.find((e) => e.name === 'programend'))).detail.text, /VIA MESSAGE/);
  // screenchange is throttled and trails the screen: the one with the output may follow programend.
  await page.waitForFunction(() => window.events.some((e) => e.name === 'screenchange' && e.detail.text.includes('VIA')));
  assert.equal((await page.evaluate(() => window.send('program'))).result, '10 PRINT "VIA MESSAGE"\n');
  assert.equal((await page.evaluate(() => window.send('setSpeed', 2))).result, null);
  assert.match((await page.evaluate(() => window.send('setSpeed', 7))).error, /speed must be/);
  assert.match((await page.evaluate(() => window.send('format', 'C:'))).error, /unknown command "format"/);
  const tape = await page.evaluate(() => window.send('loadTape', '10 PRINT 2\n', 'two.bas'));
  assert.equal(tape.result.name, 'two.bas');
  assert.equal((await page.evaluate(() => window.send('reset'))).result, null);
  await until(page, 'screenText', [], (r) => r.result?.includes('C/W/M ?'));
  await page.close();
});

test('another origin is ignored by default, answered when allowed', async () => {
  const other = b.url.replace('127.0.0.1', 'other.test');
  const ignored = await parent(`${other}www/examples/loops.html`, `${b.url}index.html?embed`);
  await ignored.waitForTimeout(1500);
  assert.equal(await ignored.evaluate(() => window.send('screenText')), 'no reply');
  assert.deepEqual(await ignored.evaluate(() => window.events), []);
  await ignored.close();

  const origin = new URL(other).origin;
  const allowed = await parent(`${other}www/examples/loops.html`, `${b.url}index.html?embed&allow-origin=${encodeURIComponent(origin)}`);
  await allowed.waitForFunction(() => window.events.some((e) => e.name === 'ready'));
  await until(allowed, 'screenText', [], (r) => r.result?.includes('C/W/M ?'));
  await allowed.close();
});
