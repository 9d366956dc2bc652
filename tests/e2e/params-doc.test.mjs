// docs/embedding.md documents exactly the parameters www/params.js accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOC, table, withTable } from './params-doc.mjs';

test('the parameter table in docs/embedding.md is written from www/params.js', async () => {
  const text = readFileSync(DOC, 'utf8');
  assert.equal(text, withTable(text, await table()), 'run: node tests/e2e/params-doc.mjs');
});
