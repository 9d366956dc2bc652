// Takes screenshots of the page for a human to look at (run by hand, not part of `test`):
//   node screenshot.mjs [out-dir] [query]
// Writes page.png (the whole page after boot, C pressed and a short program run).

import path from 'node:path';
import { launch, openPage, typeAndWait, waitForText } from './harness.mjs';

const outDir = process.argv[2] || path.join(process.cwd(), '../../target');
const query = process.argv[3] || '';
const env = await launch();
try {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await openPage(context, env.url, query);
  await page.screenshot({ path: path.join(outDir, 'page-boot.png') });
  await page.evaluate(() => window.superboard.setSpeed('max'));
  await typeAndWait(page, 'C\r\r');
  await page.waitForTimeout(300);
  if ((await page.evaluate(() => window.superboard.screenText())).includes('BYTES FREE')) {
    await typeAndWait(page, '10 FOR I=1 TO 6\r20 PRINT I;I*I;SQR(I)\r30 NEXT\rRUN\r');
  }
  await page.evaluate(() => window.superboard.setSpeed(1));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(outDir, 'page.png') });
  // A tape playing at real speed: counter, progress, waveform.
  await page.click('#break');
  await page.waitForTimeout(300);
  await page.evaluate(() => window.superboard.loadTape('.D1A6/48\r45\r4C\r4C\r4F\r'.repeat(8), 'hello.65v'));
  await page.click('#tape-turbo');
  await page.keyboard.type('ML');
  await page.waitForTimeout(2500);
  await page.screenshot({ path: path.join(outDir, 'page-tape.png') });
  console.log(`screenshots in ${outDir}`);
} finally {
  await env.close();
}
