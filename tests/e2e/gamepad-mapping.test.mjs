// The gamepad mapping parameter, parsed in plain node (no browser): spellings of keys, chords,
// defaults kept for unnamed controls, and bad parts named without throwing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMapping, formatMapping, keyNamed, DEFAULT_MAPPING, Gamepads } from '../../www/gamepad.js';

// The core's key names (key_names()), as the page gets them from the wasm module.
const NAMES = ['Repeat', 'Ctrl', 'Esc', 'LeftShift', 'RightShift', 'ShiftLock', 'Q', 'A', 'Z', 'Space',
  'Slash', 'Semicolon', 'P', 'X', 'C', 'V', 'B', 'N', 'M', 'Comma', 'S', 'D', 'F', 'G', 'H', 'J', 'K',
  'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'Period', 'L', 'O', 'LineFeed', 'Return', 'Digit8', 'Digit9',
  'Digit0', 'Colon', 'Minus', 'RubOut', 'Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6',
  'Digit7'];

test('keys are named by their caps, their spellings or the core names', () => {
  assert.equal(keyNamed('q', NAMES), 'Q');
  assert.equal(keyNamed('7', NAMES), 'Digit7');
  assert.equal(keyNamed('space', NAMES), 'Space');
  assert.equal(keyNamed('RUB OUT', NAMES), 'RubOut');
  assert.equal(keyNamed('lf', NAMES), 'LineFeed');
  assert.equal(keyNamed(';', NAMES), 'Semicolon');
  assert.equal(keyNamed('digit0', NAMES), 'Digit0');
  assert.equal(keyNamed('|', NAMES), null);
  assert.equal(keyNamed('ShiftLock', NAMES), null, 'a latching key cannot be held by a pad');
});

test('a mapping replaces the named controls and keeps the defaults for the rest', () => {
  const { mapping, problems } = parseMapping('up:Q, down:A ,left:O,right:P,a:SHIFT+P,b::,x:none', NAMES);
  assert.deepEqual(problems, []);
  assert.deepEqual(mapping.up, ['Q']);
  assert.deepEqual(mapping.down, ['A']);
  assert.deepEqual(mapping.a, ['LeftShift', 'P']);
  assert.deepEqual(mapping.b, ['Colon']);
  assert.deepEqual(mapping.x, []);
  assert.deepEqual(mapping.y, DEFAULT_MAPPING.y);
  assert.equal(formatMapping(mapping).split(',')[0], 'up:Q');
  assert.deepEqual(parseMapping('', NAMES).mapping, DEFAULT_MAPPING);
  assert.deepEqual(parseMapping('default', NAMES).mapping, DEFAULT_MAPPING);
});

test('bad parts are left out and named; good parts still apply', () => {
  const { mapping, problems } = parseMapping('up:Q,fire:SPACE,down:{,left,right:SHIFT+~,a:', NAMES);
  assert.deepEqual(mapping.up, ['Q']);
  assert.deepEqual(mapping.down, DEFAULT_MAPPING.down);
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(problems[0], /"fire" is not a gamepad control/);
  assert.match(problems[1], /down: no Superboard key "\{"/);
  assert.match(problems[2], /"left" is not control:key/);
  assert.match(problems[3], /right: no Superboard key "~"/);
  assert.match(problems[4], /a: no Superboard key/);
});

test('stick, d-pad, buttons and triggers become controls', () => {
  const button = (pressed, value = pressed ? 1 : 0) => ({ pressed, value });
  const buttons = Array.from({ length: 17 }, () => button(false));
  buttons[0] = button(true);
  buttons[7] = button(false, 0.8); // an analogue trigger past half way
  buttons[14] = button(true); // d-pad left
  const pad = { connected: true, axes: [0.1, 0.9], buttons };
  const on = Gamepads.activeControls([null, pad]);
  assert.deepEqual([...on].sort(), ['a', 'down', 'left', 'rt']);
  assert.deepEqual([...Gamepads.activeControls([{ connected: true, axes: [-0.3, -0.2], buttons: [] }])], []);
});
