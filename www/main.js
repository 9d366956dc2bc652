// The page: boots the core, runs it against the wall clock, and wires the controls.
//
// Frame loop: each animation frame runs the CPU for the time that really passed (× speed),
// clamped to MAX_STEP_MS so a stalled tab does not try to catch up; at "max" it runs for a fixed
// slice of each frame instead. When the tab is hidden the browser stops animation frames: the
// machine pauses, except while a tape is playing or recording, when a timer keeps it going.

import init, { Superboard, cpu_clock_hz, identify_rom } from './pkg/superboard.js';
import { Screen } from './screen.js';
import { Keyboard, normalizeText } from './keyboard.js';
import { RomStore, classify, romArguments, slotLabel, ASKABLE_SLOTS } from './roms.js';
import { TapeDeck, isTapeFile } from './tape.js';

const MAX_STEP_MS = 100; // most emulated time one animation frame may catch up
const MAX_STEP_HIDDEN_MS = 1000; // background timers fire about once a second
// At "max", the share of each display frame spent emulating (the rest is left for drawing and
// events); the frame length is measured, so 60, 120 and 144 Hz displays all get it.
const MAX_SPEED_FRAME_SHARE = 0.85;
const MAX_SPEED_CHUNK_CYCLES = 100_000;
const STATUS_INTERVAL_MS = 500;
const MIRROR_INTERVAL_MS = 200;
const SPEEDS = { 1: 1, 2: 2, 4: 4, max: Infinity };

const $ = (id) => document.getElementById(id);

const state = {
  wasm: null,
  machine: null,
  clockHz: 0,
  speed: 1,
  lastFrameMs: 0,
  cycleCarry: 0,
  screenText: '',
  mirrorText: '',
  mirrorAt: 0,
  mirrorTimer: 0,
  statusAt: 0,
  statusCycles: 0,
  mhz: 0,
  timer: 0,
  romRecords: [],
  frameCostMs: 0,
  frames: 0,
};

let screen;
let keyboard;
let deck;
const roms = new RomStore();

function say(text, kind = 'info') {
  const el = $('status-message');
  el.textContent = text;
  el.dataset.kind = kind;
  clearTimeout(say.timer);
  if (kind !== 'error') say.timer = setTimeout(() => { el.textContent = ''; }, 6000);
}

// ---- the loop ----

function runFor(elapsedMs) {
  const m = state.machine;
  const speed = deck?.wantsMaxSpeed() ? Infinity : state.speed;
  if (speed === Infinity) {
    const sliceMs = Math.min(Math.max(elapsedMs, 4), 33) * MAX_SPEED_FRAME_SHARE;
    const start = performance.now();
    do {
      m.run_for(MAX_SPEED_CHUNK_CYCLES);
      deck?.service();
    } while (performance.now() - start < sliceMs);
  } else {
    const cycles = (elapsedMs / 1000) * state.clockHz * speed + state.cycleCarry;
    const whole = Math.floor(cycles);
    state.cycleCarry = cycles - whole;
    if (whole > 0) m.run_for(whole);
    deck?.service();
  }
}

function present() {
  const m = state.machine;
  if (m.render()) {
    screen.draw(state.wasm.memory, m.framebuffer_ptr());
    state.screenText = m.screen_text();
    updateMirror();
  }
  deck.present();
}

// The text mirror follows the screen at most every MIRROR_INTERVAL_MS (a screen reader should
// not be flooded while a program scrolls), always ending on the latest text.
function updateMirror() {
  if (state.mirrorTimer) return;
  const wait = state.mirrorAt + MIRROR_INTERVAL_MS - performance.now();
  if (wait > 0) {
    state.mirrorTimer = setTimeout(() => {
      state.mirrorTimer = 0;
      updateMirror();
    }, wait);
    return;
  }
  const text = screen.crop(state.screenText);
  if (text !== state.mirrorText) {
    state.mirrorText = text;
    state.mirrorAt = performance.now();
    $('mirror').textContent = text;
  }
}

function updateStatus(now) {
  if (now - state.statusAt < STATUS_INTERVAL_MS) return;
  const cycles = state.machine.cycles();
  const measured = state.statusAt !== 0;
  if (measured) state.mhz = (cycles - state.statusCycles) / ((now - state.statusAt) * 1000);
  state.statusAt = now;
  state.statusCycles = cycles;
  if (!measured) return;
  const label = state.speed === Infinity ? 'max' : `${state.speed}×`;
  const jam = state.machine.jammed() ? ' · CPU jammed: press BREAK' : '';
  $('status-mhz').textContent = `${state.mhz.toFixed(3)} MHz (${label})${jam}`;
  deck?.updateStatus();
}

function tick(now, maxStepMs) {
  const elapsed = Math.min(Math.max(now - state.lastFrameMs, 0), maxStepMs);
  state.lastFrameMs = now;
  const start = performance.now();
  runFor(elapsed);
  present();
  // Main-thread cost of emulation plus drawing, for the benchmark (superboard.stats).
  const cost = performance.now() - start;
  state.frameCostMs = state.frameCostMs * 0.95 + cost * 0.05;
  state.frames++;
  updateStatus(now);
}

function frame(now) {
  try {
    if (!document.hidden) tick(now, MAX_STEP_MS);
  } catch (error) {
    // A trap inside the core (a bug: no guest program should reach one). Say so and stop
    // rather than throwing again sixty times a second; the console has the Rust message.
    console.error(error);
    say(`The emulator stopped: ${error.message}. Reload the page to start again.`, 'error');
    return;
  }
  requestAnimationFrame(frame);
}

// Hidden tab: animation frames stop. Keep a tape going with a timer; otherwise pause.
function onVisibility() {
  clearInterval(state.timer);
  state.timer = 0;
  if (document.hidden) {
    state.timer = setInterval(() => {
      if (deck?.isRunning()) tick(performance.now(), MAX_STEP_HIDDEN_MS);
      else state.lastFrameMs = performance.now();
    }, 50);
  } else {
    state.lastFrameMs = performance.now();
  }
}

// ---- machine and ROMs ----

async function buildMachine() {
  const { args, problems } = romArguments(state.romRecords);
  let machine;
  try {
    machine = state.romRecords.length
      ? Superboard.with_roms(args.basic, args.chips, args.monitor, args.chargen)
      : new Superboard();
  } catch (error) {
    problems.push(`${error.message}: using the open ROMs`);
    machine = new Superboard();
  }
  state.machine?.free();
  state.machine = machine;
  state.cycleCarry = 0;
  state.statusAt = 0;
  deck?.attach(machine);
  showRoms(problems);
  keyboardChanged();
}

function showRoms(problems = []) {
  const list = $('rom-list');
  list.replaceChildren();
  for (const record of state.romRecords) {
    const item = document.createElement('li');
    const what = document.createElement('span');
    what.textContent = `${slotLabel(record.slot)}: ${record.name} (${record.description})`;
    what.title = `SHA-1 ${record.sha1}`;
    const remove = document.createElement('button');
    remove.textContent = 'Remove';
    remove.className = 'small';
    remove.addEventListener('click', async () => {
      state.romRecords = state.romRecords.filter((r) => r.slot !== record.slot);
      await roms.remove(record.slot);
      await buildMachine();
      say(`Removed ${record.name}; the machine was switched off and on.`);
    });
    item.append(what, remove);
    list.append(item);
  }
  $('rom-summary').textContent = state.romRecords.length
    ? 'Original ROMs in use (any part not listed comes from the open set):'
    : 'Built-in open ROMs (monitor, BASIC, character set).';
  $('rom-clear').disabled = state.romRecords.length === 0;
  if (problems.length) say(problems.join('; '), 'error');
}

async function addRoms(files) {
  const accepted = [];
  for (const { name, bytes } of files) {
    let record;
    try {
      record = classify(identify_rom, name, bytes);
    } catch (error) {
      say(error.message, 'error');
      continue;
    }
    if (record.ask) {
      askSlot(record);
      continue;
    }
    accepted.push(record);
  }
  if (accepted.length) await storeRoms(accepted);
}

async function storeRoms(records) {
  for (const record of records) {
    state.romRecords = state.romRecords.filter((r) => r.slot !== record.slot);
    state.romRecords.push(record);
    await roms.put(record);
  }
  await buildMachine();
  const names = records.map((r) => `${r.name} → ${slotLabel(r.slot)} (${r.description})`);
  say(`ROM${records.length > 1 ? 's' : ''} installed: ${names.join('; ')}. Power cycled.`);
}

// An unrecognised 2 KB image whose name says nothing: ask which socket it belongs in.
function askSlot(record) {
  const ask = $('rom-ask');
  ask.hidden = false;
  ask.replaceChildren();
  const question = document.createElement('p');
  question.textContent = `${record.name} is a 2 KB ROM the emulator does not recognise. Which socket is it for?`;
  ask.append(question);
  for (const slot of ASKABLE_SLOTS) {
    const button = document.createElement('button');
    button.className = 'small';
    button.textContent = slotLabel(slot);
    button.addEventListener('click', async () => {
      ask.hidden = true;
      await storeRoms([{ ...record, slot, ask: undefined }]);
    });
    ask.append(button);
  }
  const cancel = document.createElement('button');
  cancel.className = 'small';
  cancel.textContent = 'Cancel';
  cancel.addEventListener('click', () => { ask.hidden = true; });
  ask.append(cancel);
}

async function readFiles(fileList) {
  return Promise.all([...fileList].map(async (file) => ({
    name: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  })));
}

// Dropped or picked files: tapes go to the deck, anything else is tried as a ROM.
async function takeFiles(fileList) {
  const files = await readFiles(fileList);
  const tapes = files.filter((f) => isTapeFile(f.name));
  const others = files.filter((f) => !isTapeFile(f.name));
  for (const tape of tapes) deck.insertQuietly(tape.bytes, tape.name);
  if (others.length) await addRoms(others);
}

// ---- controls ----

function keyboardChanged() {
  const lock = state.machine.shift_lock();
  $('shift-lock').setAttribute('aria-pressed', String(lock));
  $('status-keys').textContent = `${keyboard.mode === 'natural' ? 'Natural' : 'Positional'} keys · SHIFT LOCK ${lock ? 'down' : 'up'}`;
}

function setSpeed(value) {
  const key = String(value);
  if (!(key in SPEEDS)) throw new Error(`speed must be 1, 2, 4 or "max", not ${JSON.stringify(value)}`);
  state.speed = SPEEDS[key];
  state.cycleCarry = 0;
  state.statusAt = 0;
  const radio = document.querySelector(`input[name=speed][value="${key}"]`);
  if (radio) radio.checked = true;
}

function setView(name) {
  screen.setView(name);
  $('view').value = screen.viewName;
  state.screenText = state.machine.screen_text();
  state.mirrorText = screen.crop(state.screenText);
  $('mirror').textContent = state.mirrorText;
  // The canvas was resized (and so cleared): draw the whole view again.
  if (state.machine.framebuffer_ptr()) screen.draw(state.wasm.memory, state.machine.framebuffer_ptr());
}

function pressBreak() {
  state.machine.press_break();
  say('BREAK');
}

function wireControls() {
  // Buttons give focus back to the page so typing goes to the machine, not the button.
  document.querySelectorAll('button').forEach((b) => b.addEventListener('click', () => b.blur()));
  $('break').addEventListener('click', pressBreak);
  $('power').addEventListener('click', async () => {
    await buildMachine();
    say('Switched off and on.');
  });
  $('shift-lock').addEventListener('click', () => keyboard.toggleShiftLock());
  document.querySelectorAll('input[name=speed]').forEach((radio) =>
    radio.addEventListener('change', () => { setSpeed(radio.value); radio.blur(); }));
  $('view').addEventListener('change', (e) => { setView(e.target.value); e.target.blur(); });
  $('aspect').addEventListener('change', (e) => { screen.setAspect(e.target.checked); e.target.blur(); });
  $('keymode').addEventListener('change', (e) => { keyboard.setMode(e.target.value); e.target.blur(); });
  $('show-text').addEventListener('change', (e) => {
    $('mirror').classList.toggle('visually-hidden', !e.target.checked);
    e.target.blur();
  });
  $('rom-file').addEventListener('change', async (e) => {
    await addRoms(await readFiles(e.target.files));
    e.target.value = '';
  });
  $('rom-clear').addEventListener('click', async () => {
    state.romRecords = [];
    await roms.clear();
    await buildMachine();
    say('Back to the open ROMs; the machine was switched off and on.');
  });

  // Drop anywhere on the page.
  let depth = 0;
  const overlay = $('drop-overlay');
  window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; overlay.hidden = false; });
  window.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; overlay.hidden = true; } });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    if (e.dataTransfer?.files?.length) await takeFiles(e.dataTransfer.files);
  });
}

// ---- scripting API (course pages, tests) ----

function installApi() {
  const api = {
    typeText(text) {
      state.machine.type_text(normalizeText(String(text)));
    },
    screenText(view) {
      const full = state.machine.screen_text();
      return view === 'full' ? full : screen.crop(full);
    },
    loadTape(data, name = 'tape.bas') {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
      return deck.insert(bytes, name);
    },
    reset() {
      pressBreak();
    },
    powerCycle() {
      return buildMachine();
    },
    setSpeed,
    setView,
    setKeyboardMode(mode) {
      keyboard.setMode(mode);
      $('keymode').value = mode;
    },
    get typing() {
      return state.machine.typing_pending();
    },
    get mhz() {
      return state.mhz;
    },
    // Frames run and the smoothed main-thread milliseconds each cost (emulation + drawing).
    get stats() {
      return { frames: state.frames, frameCostMs: state.frameCostMs };
    },
    get machine() {
      return state.machine;
    },
    get tape() {
      return deck;
    },
    saveProgram() {
      deck.saveProgram();
    },
    loadAndRun() {
      deck.loadAndRun();
    },
  };
  window.superboard = api;
}

// URL parameters: ?type=, ?tape=, ?speed=, ?view=, ?embed, ?keys=positional.
async function applyUrl() {
  const params = new URLSearchParams(location.search);
  if (params.has('embed')) {
    document.body.classList.add('embed');
    screen.fit();
  }
  if (params.has('speed')) setSpeed(params.get('speed'));
  if (params.has('view')) setView(params.get('view'));
  if (params.has('aspect')) {
    const tv = params.get('aspect') !== 'square';
    $('aspect').checked = tv;
    screen.setAspect(tv);
  }
  if (params.has('keys')) window.superboard.setKeyboardMode(params.get('keys'));
  if (params.has('tape')) {
    const url = params.get('tape');
    try {
      const response = await fetch(new URL(url, location.href));
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const name = url.split('/').pop() || 'tape';
      deck.insert(new Uint8Array(await response.arrayBuffer()), name);
    } catch (error) {
      say(`Could not fetch tape ${url}: ${error.message}`, 'error');
    }
  }
  if (params.has('type')) keyboard.type(params.get('type'));
}

async function main() {
  performance.mark('superboard:start');
  state.wasm = await init();
  performance.mark('superboard:wasm');
  state.clockHz = cpu_clock_hz();
  screen = new Screen($('screen'), $('tv'));
  keyboard = new Keyboard({
    machine: () => state.machine,
    onBreak: pressBreak,
    onError: (text) => say(text, 'error'),
    onChange: keyboardChanged,
  });
  await roms.open();
  state.romRecords = await roms.all().catch(() => []);
  performance.mark('superboard:roms');
  deck = new TapeDeck({ say, typeText: (t) => keyboard.type(t), clockHz: state.clockHz });
  await buildMachine();
  screen.setView('tv');
  wireControls();
  installApi();
  await applyUrl();
  document.addEventListener('visibilitychange', onVisibility);
  state.lastFrameMs = performance.now();
  requestAnimationFrame(frame);
  $('power-led').classList.add('on');
  window.dispatchEvent(new CustomEvent('superboard:ready', { detail: window.superboard }));
}

main().catch((error) => {
  console.error(error);
  const el = $('status-message');
  if (el) {
    el.textContent = `The emulator could not start: ${error.message}`;
    el.dataset.kind = 'error';
  }
});
