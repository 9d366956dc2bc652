// docs/embedding.md's parameter table is written from www/params.js, the one table the element
// and the page read, so the two cannot drift apart:
//   node tests/e2e/params-doc.mjs          rewrite the table in docs/embedding.md
// params-doc.test.mjs fails when the file is out of date.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOC = path.join(ROOT, 'docs/embedding.md');
const START = '<!-- parameters: written by tests/e2e/params-doc.mjs from www/params.js -->';
const END = '<!-- end of parameters -->';

export async function table() {
  const { PARAMS } = await import(pathToFileURL(path.join(ROOT, 'www/params.js')));
  const rows = Object.entries(PARAMS).map(([name, p]) => `| \`${name}\` | ${p.accepts} | ${p.fallback} |`);
  return [START, '| name | accepts | default |', '|---|---|---|', ...rows, END].join('\n');
}

// The document with its table replaced by `fresh`.
export function withTable(text, fresh) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no parameter table markers`);
  return text.slice(0, start) + fresh + text.slice(end + END.length);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DOC, withTable(readFileSync(DOC, 'utf8'), await table()));
  console.log(`wrote the parameter table in ${DOC}`);
}
