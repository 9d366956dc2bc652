// Tape shelf figures in the page, run by hand (not part of `build.sh test`):
//   cd tests/e2e && node shelf-bench.mjs
// SAVEs a 40-line program (turbo, max speed) and reports the tape's bytes, the deck's WAV and
// what the shelf stores of it (gzipped), the time from `tapesaved` to the entry drawn on the
// shelf (WAV encode, gzip, IndexedDB write, redraw), and the WAV encode and decode on their own.

import { launch, openPage, typeAndWait, waitForText } from './harness.mjs';

const LINES = 40;

const env = await launch();
try {
  const context = await env.browser.newContext();
  const page = await openPage(context, env.url, '?speed=max');
  await typeAndWait(page, 'C');
  await waitForText(page, 'MEMORY SIZE?');
  await typeAndWait(page, '\r\r');
  await waitForText(page, 'BYTES FREE');
  const program = Array.from({ length: LINES }, (_, i) => `${(i + 1) * 10} S=S+${i}:REM LINE ${i + 1}\r`).join('');
  await typeAndWait(page, `NEW\r${program}`);
  await page.evaluate(() => {
    window.savedAt = null;
    document.addEventListener('tapesaved', () => { window.savedAt = performance.now(); }, { once: true });
    new MutationObserver((_, observer) => {
      if (document.querySelectorAll('#tape-shelf-list > li').length) {
        window.shelvedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document.getElementById('tape-shelf-list'), { childList: true });
  });
  await page.click('#tape-record');
  await page.waitForFunction(() => window.shelvedAt !== undefined, null, { timeout: 120_000 });
  const r = await page.evaluate(async () => {
    const m = window.superboard.machine;
    let t = performance.now();
    const wav = m.tape_wav();
    const encodeMs = performance.now() - t;
    t = performance.now();
    m.insert_tape('again.wav', wav).free();
    const decodeMs = performance.now() - t;
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('superboard-tapes');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const [entry] = await new Promise((resolve) => {
      const req = db.transaction('tapes').objectStore('tapes').getAll();
      req.onsuccess = () => resolve(req.result);
    });
    return { tape: m.tape_len(), wav: wav.length, stored: entry.stored, keepMs: window.shelvedAt - window.savedAt, encodeMs, decodeMs };
  });
  console.log(`${LINES}-line program: ${r.tape} bytes on tape, ${r.wav} bytes of WAV, ${r.stored} bytes on the shelf ` +
    `(${(r.wav / r.stored).toFixed(0)}× smaller)`);
  console.log(`tapesaved → on the shelf: ${r.keepMs.toFixed(0)} ms; WAV encode ${r.encodeMs.toFixed(1)} ms, decode ${r.decodeMs.toFixed(1)} ms`);
} finally {
  await env.close();
}
