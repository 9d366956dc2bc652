// dist/ — what gets deployed — holds only the page (HTML, JS, CSS, wasm, the examples, the
// Programs shelf's listings): no
// .git, no Cargo.toml, no sources; the server hands out nothing else; opened from the disk the
// page says how to serve it instead of "starting…" forever.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, shared } from './harness.mjs';

const b = shared();

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [`${entry.name}/`, ...files(full).map((f) => `${entry.name}/${f}`)] : [entry.name];
  });
}

test('dist/ holds the page and its examples, and nothing else', () => {
  const all = files(DIST);
  for (const needed of ['index.html', 'www/superboard-ii.js', 'www/superboard-ii.css', 'www/pkg/superboard_bg.wasm',
    'www/pkg/superboard.js', 'www/examples/loops.html', 'www/audio-worklet.js', 'www/programs/lesson.bas']) {
    assert.ok(all.includes(needed), `${needed} in dist/`);
  }
  for (const file of all.filter((f) => !f.endsWith('/'))) {
    assert.match(file, /\.(html|js|css|wasm)$|^www\/programs\/[\w-]+\.bas$/, `${file}: only HTML, JS, CSS, wasm and the shelf's listings`);
  }
  for (const name of all) {
    assert.ok(!name.split('/').some((part) => part.startsWith('.')), `${name}: nothing hidden (.git)`);
    assert.doesNotMatch(name, /Cargo\.(toml|lock)|\.rs$|\.asm$|node_modules|tests\//, name);
  }
});

test('the server gives out nothing but dist/', async () => {
  for (const target of ['Cargo.toml', '.git/HEAD', 'src/lib.rs', 'www/pkg/superboard_bg.wasm.d.ts', '../Cargo.toml']) {
    const response = await fetch(new URL(target, b.url));
    assert.ok(response.status === 403 || response.status === 404, `${target}: ${response.status}`);
  }
  const wasm = await fetch(new URL('www/pkg/superboard_bg.wasm', b.url));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
});

test('opened from file:// the page and the lesson say how to serve them', async () => {
  for (const file of ['index.html', 'www/examples/loops.html']) {
    const page = await b.context.newPage();
    await page.goto(pathToFileURL(path.join(DIST, file)).href);
    await page.waitForSelector('#file-warning:not([hidden])');
    assert.match(await page.textContent('#file-warning'), /build\.sh (serve|dist)/);
    await page.close();
  }
});
