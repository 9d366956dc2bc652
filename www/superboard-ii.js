// <superboard-ii>: one Superboard II as an HTML element. Everything a machine needs lives here:
// its core (a wasm `Superboard`), canvas, keyboard focus, tape deck, sound and frame loop. A
// course page needs only
//
//   <script type="module" src="www/superboard-ii.js"></script>
//   <superboard-ii></superboard-ii>
//
// and our own page (index.html) is this element plus panels (www/panels/*.js) that take it as a
// parameter. Several elements on one page run independently: one compiled wasm module, one
// `Superboard` per element. How panels attach (machine, frame hook, pause/resume, events) is
// described in ARCHITECTURE.md, "Web page".
//
// Frame loop: each animation frame runs the CPU for the time that really passed (× speed),
// clamped to MAX_STEP_MS so a stalled tab does not try to catch up; at "max" it runs for a share
// of each frame instead. An element runs only while it is on screen (IntersectionObserver) and
// its tab is visible; a tape that is playing or recording keeps it running (a timer drives it
// while the tab is hidden, when the browser stops animation frames).

import init, { Superboard, cpu_clock_hz, key_names } from './pkg/superboard.js';
import { Screen } from './screen.js';
import { screenPicture, pngBlob, cropText, copyText, Recording } from './export.js';
import { Keyboard, normalizeText } from './keyboard.js';
import { TapeDeck } from './tape.js';
import { RomStore, romArguments } from './roms.js';
import { OnScreenKeyboard } from './osk.js';
import { Gamepads } from './gamepad.js';
import { parseParam, decompressProgram } from './params.js';
import { Snapshots } from './snapshots.js';

const MAX_STEP_MS = 100; // most emulated time one animation frame may catch up
const MAX_STEP_HIDDEN_MS = 1000; // background timers fire about once a second
const IDLE_POLL_MS = 200; // how often a stopped element checks for a running tape
// At "max", the share of each display frame spent emulating (the rest is left for drawing and
// events), divided among the elements running at max; the frame length is measured, so 60, 120
// and 144 Hz displays all get it.
const MAX_SPEED_FRAME_SHARE = 0.85;
const MAX_SPEED_CHUNK_CYCLES = 100_000;
const STATUS_INTERVAL_MS = 500;
const MESSAGE_MS = 6000; // how long a status message stays
const ERROR_MESSAGE_MS = 30_000; // an error stays longer, unless the user carries on typing
const MIRROR_INTERVAL_MS = 200;
const SPEEDS = { 1: 1, 2: 2, 4: 4, max: Infinity };

// One compiled module for every element on the page.
let wasmReady = null;
function loadWasm() {
  wasmReady ??= init();
  return wasmReady;
}

// `fn` at most every `ms` milliseconds, always running once more after the last call.
function throttle(fn, ms) {
  let last = -Infinity;
  let timer = 0;
  return function throttled() {
    if (timer) return;
    const wait = last + ms - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = 0;
        throttled();
      }, wait);
      return;
    }
    last = performance.now();
    fn();
  };
}

// Phones and tablets get the compact layout (see watchLayout); touch screens get the on-screen
// keyboard unless the page says otherwise.
const COMPACT = matchMedia('(max-width: 640px), ((max-height: 520px) and (pointer: coarse))');
const TOUCH = matchMedia('(pointer: coarse)');

// Elements that ran at max speed in the last frame share the frame between them.
const atMaxSpeed = new Set();

const TEMPLATE = `
<link rel="stylesheet" href="${new URL('./superboard-ii.css', import.meta.url)}">
<link rel="stylesheet" href="${new URL('./osk.css', import.meta.url)}">
<div class="machine" part="machine">
  <div class="tv" part="tv">
    <div class="tube">
      <canvas id="screen" width="192" height="192" role="img" aria-label="Superboard screen"></canvas>
      <div class="glass" aria-hidden="true"></div>
    </div>
    <div class="click-to-type" id="click-to-type" hidden>Click to type</div>
    <div class="tv-foot" aria-hidden="true"><span class="led" id="power-led"></span><span class="tv-brand">VIDEO MONITOR</span></div>
  </div>
  <div class="notes" id="notes" part="notes"></div>
  <div class="status" id="status" role="status" part="status">
    <span id="status-mhz" title="Emulated clock rate">starting…</span>
    <span id="status-keys" title="Keyboard mode and SHIFT LOCK"></span>
    <span id="status-tape" title="Tape"></span>
    <span id="status-message" class="message"></span>
  </div>
  <pre id="mirror" class="mirror visually-hidden" aria-live="polite" aria-label="Screen text" part="mirror"></pre>
</div>`;

export class SuperboardElement extends HTMLElement {
  // Parameters that take effect whenever they change; the others (program, tape, type,
  // autorun, list) act once, after boot.
  static observedAttributes = ['speed', 'view', 'aspect', 'keys', 'mute', 'embed', 'status', 'ram', 'osk', 'gamepad', 'phosphor', 'crt', 'margin'];

  constructor() {
    super();
    this.machine = null; // the core facade; replaced by a power cycle or a ROM change
    this.deck = null;
    this.screen = null;
    this.recording = null; // the WebM recording in progress (www/export.js)
    this.keyboard = null;
    this.clockHz = 0;
    this.speed = 1;
    this.mhz = 0;
    this.stats = { frames: 0, frameCostMs: 0 };
    this.romRecords = [];
    this.pausedBy = new Set();
    this.onScreen = false;
    this.frameHooks = new Set();
    this.loop = { raf: 0, idle: 0, lastFrameMs: 0, cycleCarry: 0, statusAt: 0, statusCycles: 0 };
    this.text = { screen: '', mirror: '' };
    this.mirrorLater = throttle(() => this.updateMirror(), MIRROR_INTERVAL_MS);
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // reported on the element itself
    this.serialTurbo = false;
    // The serial header: `serial.send(bytes | string)`, `serial.setTurbo(on)`; what the ACIA
    // sends arrives as `serialdata` events ({ bytes, text }).
    this.serial = {
      send: (data) => this.serialSend(data),
      setTurbo: (on) => {
        this.serialTurbo = Boolean(on);
        this.machine?.serial_connect(this.serialTurbo);
      },
      get turbo() {
        return this.owner.serialTurbo;
      },
      owner: this,
    };
    this.frameCallback = (now) => this.frame(now);
    this.onVisibility = () => this.wake();
    this.onCarryOn = () => this.clearMessage();
  }

  // ---- lifecycle ----

  connectedCallback() {
    if (!this.shadowRoot) {
      this.attachShadow({ mode: 'open' }).innerHTML = TEMPLATE;
      if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
      this.part('click-to-type').addEventListener('click', () => this.focus());
      this.addEventListener('focus', () => this.updateFocusHint());
      this.addEventListener('blur', () => this.updateFocusHint());
      this.booting = this.boot().catch((error) => {
        console.error(error);
        this.say(`The emulator could not start: ${error.message}`, 'error');
        this.rejectReady(error);
      });
    }
    this.observer = new IntersectionObserver((entries) => {
      this.onScreen = entries.at(-1).isIntersecting;
      this.wake();
    });
    this.observer.observe(this);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.wake();
  }

  disconnectedCallback() {
    this.observer?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stopLoop();
  }

  attributeChangedCallback(name) {
    if (this.machine) this.applySetting(name);
  }

  // An element of the shadow root by id.
  part(id) {
    return this.shadowRoot.getElementById(id);
  }

  async boot() {
    const exports = await loadWasm();
    this.memory = exports.memory;
    this.clockHz = cpu_clock_hz();
    this.screen = new Screen(this.part('screen'), this.shadowRoot.querySelector('.tv'), () => this.embedded || this.compact);
    new ResizeObserver(() => this.screen.fit()).observe(this);
    this.deck = new TapeDeck({
      say: (text, kind) => this.say(text, kind),
      typeText: (text) => this.keyboard.type(text),
      emit: (type, detail) => {
        this.emit(type, detail);
        if (type === 'tapechange') this.wake();
      },
      clockHz: this.clockHz,
    });
    this.keyboard = new Keyboard({
      host: this,
      pageWide: () => this.hasAttribute('page-keys'),
      machine: () => this.machine,
      onBreak: () => this.reset(),
      onError: (text) => this.say(text, 'error'),
      onChange: () => this.keysChanged(),
    });
    this.osk = new OnScreenKeyboard({
      machine: () => this.machine,
      keys: this.keyboard.keys,
      keyboard: this.keyboard,
      onBreak: () => this.reset(),
    });
    this.part('status').after(this.osk.element);
    // A tap on the keyboard makes this the machine the PC keyboard types into too (the tap
    // itself keeps the focus where it is, so give it here).
    this.osk.element.addEventListener('pointerdown', () => {
      if (document.activeElement !== this) this.focus({ preventScroll: true });
    });
    this.gamepads = new Gamepads({
      keys: this.keyboard.keys, names: key_names(), owner: this, onChange: (text) => this.say(text),
    });
    this.watchLayout();
    // A new machine starts with no keys down: forget who held what on the old one.
    this.addEventListener('machinechange', () => this.keyboard.releaseAll());
    window.addEventListener('focus', () => this.updateFocusHint());
    window.addEventListener('blur', () => this.updateFocusHint());
    // roms="stored": the user's own ROM images kept in this browser (the ROMs panel stores them).
    if (this.getAttribute('roms') === 'stored') {
      const store = new RomStore();
      await store.open();
      this.romRecords = await store.all().catch(() => []);
    }
    this.romProblems = this.buildMachine();
    this.screen.setView('tv');
    for (const name of SuperboardElement.observedAttributes) this.applySetting(name);
    this.part('power-led').classList.add('on');
    this.updateFocusHint();
    this.wake();
    // Resume where the last visit left off, or start from a prepared `state`; a resumed
    // machine already holds its tape and typing, so the start-up actions are skipped.
    this.snapshots = new Snapshots(this);
    // A machine given something to start with (a share link, a lesson's program) starts with it.
    const startsWith = ['program', 'tape', 'type', 'autorun'].some((name) => this.hasAttribute(name));
    const resumed = startsWith ? (await this.snapshots.loadStateAttribute(), false) : await this.snapshots.start();
    this.resolveReady(this);
    this.emit('ready', this);
    if (!resumed) await this.startActions();
  }

  // A parameter's value from its attribute, checked against the table (www/params.js):
  // undefined when absent or bad (a bad one leaves a note naming it and what it accepts).
  param(name) {
    const raw = this.getAttribute(name);
    if (raw === null) return undefined;
    const { value, problem } = parseParam(name, raw);
    if (problem) this.note(problem);
    return value;
  }

  // What the element does once after boot: load a program or tape (and LIST or RUN it), type.
  async startActions() {
    const program = this.param('program');
    const tape = this.param('tape');
    const autorun = this.param('autorun') ?? false;
    const list = this.param('list') ?? false;
    const text = this.param('type');
    const typed = text === undefined ? '' : normalizeText(text);
    let listing = program?.listing;
    if (program?.compressed) {
      try {
        listing = await decompressProgram(program.compressed);
      } catch (error) {
        this.note(`program: ${error.message}.`);
      }
    }
    let bytes = null;
    let name = 'program.bas';
    if (listing !== undefined) {
      bytes = new TextEncoder().encode(listing);
    } else if (tape !== undefined) {
      name = decodeURIComponent(tape.split(/[/?#]/).filter(Boolean).pop() ?? 'tape') || 'tape';
      if (/^data:/i.test(tape)) name = 'tape.bas';
      try {
        const response = await fetch(new URL(tape, document.baseURI));
        if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        this.say(`Could not fetch tape ${tape}: ${error.message}`, 'error');
        this.note(`tape=${tape}: could not be fetched (${error.message}).`);
      }
    }
    let loading = false;
    if (bytes) {
      try {
        this.deck.insert(bytes, name);
        // A program is always loaded (and listed unless run); a tape only when asked to.
        if (listing !== undefined || autorun || list) {
          const then = `${list || !autorun ? 'LIST\r' : ''}${autorun ? 'RUN\r' : ''}${typed}`;
          loading = this.deck.loadAndRun(then, true);
        }
      } catch (error) {
        this.note(`${listing !== undefined ? 'program' : 'tape'}: ${error.message}`);
      }
    }
    if (!loading) {
      const start = autorun && !bytes ? 'C\r\r' : '';
      if (start || typed) this.type(start + typed);
    }
    this.wake();
  }

  // ---- settings (attributes) ----

  applySetting(name) {
    const value = this.param(name);
    switch (name) {
      case 'speed':
        this.setSpeed(value ?? 1);
        break;
      case 'view':
        this.setView(value ?? 'tv');
        break;
      case 'aspect':
        this.setAspect((value ?? 'tv') === 'tv');
        break;
      case 'keys':
        this.setKeyboardMode(value ?? 'natural');
        break;
      case 'mute':
        this.deck.audio.setMuted(value ?? false);
        this.deck.changed();
        break;
      case 'phosphor':
        this.screen.display.setPhosphor(value ?? 'white');
        this.emit('settingschange', this.settings);
        break;
      case 'crt':
        this.screen.setCrt(value ?? false);
        this.emit('settingschange', this.settings);
        break;
      case 'margin':
        this.screen.setMargin((value ?? 'on') === 'on');
        this.emit('settingschange', this.settings);
        break;
      case 'embed':
      case 'status':
        this.shadowRoot.querySelector('.machine').classList.toggle('embed', this.embedded);
        this.part('status').hidden = !(this.quietParam('status') ?? !this.embedded);
        this.updateFocusHint();
        this.screen.fit();
        break;
      case 'osk':
        this.showKeyboard(value === undefined || value === 'auto' ? TOUCH.matches : value === 'on');
        break;
      case 'gamepad': {
        // The parts that parse apply; the rest is named in a note.
        const problems = this.gamepads.setMapping(value ?? '');
        if (problems.length) this.note(`gamepad=${value}: ${problems.join('; ')}.`);
        break;
      }
      case 'ram':
        if ((value ?? '8') !== String(this.ramKb)) this.buildMachine();
        break;
      default:
    }
  }

  // A parameter's checked value without a note (the note is left when it is applied).
  quietParam(name) {
    const raw = this.getAttribute(name);
    return raw === null ? undefined : parseParam(name, raw).value;
  }

  get embedded() {
    return this.quietParam('embed') === true;
  }

  get ramKb() {
    return this.ram ?? 8;
  }

  // Phones and tablets (a narrow or short touch screen): the picture fills what the on-screen
  // keyboard leaves, beside it when the screen is wider than tall. Re-laid out on every resize
  // and rotation.
  watchLayout() {
    const relayout = () => {
      const machine = this.shadowRoot.querySelector('.machine');
      this.compact = !this.embedded && COMPACT.matches;
      machine.classList.toggle('compact', this.compact);
      machine.classList.toggle('landscape', this.compact && window.innerWidth > window.innerHeight);
      this.screen.fit();
    };
    COMPACT.addEventListener('change', relayout);
    window.addEventListener('resize', relayout);
    window.addEventListener('orientationchange', relayout);
    this.osk.element.addEventListener('osk:toggle', relayout);
    this.relayout = relayout;
    relayout();
  }

  // ---- the loop ----

  // Whether the machine should run now: booted, not paused, and on screen in a visible tab, or
  // with a tape moving or text being typed.
  get active() {
    if (!this.machine || !this.isConnected || this.pausedBy.size || this.crashed) return false;
    // Work the user is waiting for keeps going off screen: a moving tape, and text still being
    // typed (LOAD & RUN's closing SPACE and RUN arrive after the tape has stopped, often while
    // the page is scrolled to the cassette controls).
    return (this.onScreen && !document.hidden) || this.deck.isRunning() || this.machine.typing_pending();
  }

  get running() {
    return this.loop.raf !== 0 || (this.active && document.hidden);
  }

  // Start animation frames if the machine should run; otherwise poll slowly for a tape.
  wake() {
    const loop = this.loop;
    if (!this.machine) return;
    const active = this.active;
    if (active && !document.hidden) {
      if (!loop.raf) {
        loop.lastFrameMs = performance.now();
        loop.raf = requestAnimationFrame(this.frameCallback);
      }
      clearInterval(loop.idle);
      loop.idle = 0;
    } else if (!loop.idle && this.isConnected) {
      loop.idle = setInterval(() => this.idle(), IDLE_POLL_MS);
    }
  }

  stopLoop() {
    cancelAnimationFrame(this.loop.raf);
    clearInterval(this.loop.idle);
    this.loop.raf = 0;
    this.loop.idle = 0;
    atMaxSpeed.delete(this);
  }

  frame(now) {
    this.loop.raf = 0;
    if (!this.active || document.hidden) {
      atMaxSpeed.delete(this);
      this.wake();
      return;
    }
    if (!this.guarded(() => this.tick(now, MAX_STEP_MS))) return;
    this.loop.raf = requestAnimationFrame(this.frameCallback);
  }

  // Timer while not animating: keeps a tape going in a hidden tab; otherwise waits cheaply.
  idle() {
    const now = performance.now();
    if (this.active && document.hidden) {
      this.guarded(() => this.tick(now, MAX_STEP_HIDDEN_MS));
    } else if (this.active) {
      this.wake();
    } else {
      this.loop.lastFrameMs = now;
    }
  }

  // Runs `step`; a trap inside the core (a bug: no guest program should reach one) stops this
  // machine with a message instead of throwing sixty times a second.
  guarded(step) {
    try {
      step();
      return true;
    } catch (error) {
      console.error(error);
      this.crashed = true;
      this.stopLoop();
      this.say(`The emulator stopped: ${error.message}. Press Power cycle or reload the page.`, 'error');
      return false;
    }
  }

  tick(now, maxStepMs) {
    const loop = this.loop;
    const elapsed = Math.min(Math.max(now - loop.lastFrameMs, 0), maxStepMs);
    loop.lastFrameMs = now;
    const start = performance.now();
    this.runFor(elapsed);
    this.serialOut();
    this.present();
    this.screen.display.tick();
    // Main-thread cost of emulation plus drawing, for the benchmark (stats).
    const cost = performance.now() - start;
    this.stats.frameCostMs = this.stats.frameCostMs * 0.95 + cost * 0.05;
    this.stats.frames++;
    this.recording?.frame();
    this.updateStatus(now);
    this.watchProgram();
    for (const hook of this.frameHooks) hook(this);
  }

  // `programend`: BASIC back in direct mode after running a program (the core looks at CURLIN
  // every few hundred cycles while it runs; see src/basic/mod.rs).
  watchProgram() {
    if (this.machine.take_program_end()) this.emit('programend', { text: this.screenText() });
  }

  runFor(elapsedMs) {
    const m = this.machine;
    const speed = this.deck.wantsMaxSpeed() ? Infinity : this.speed;
    // A short turbo load can start and end inside one frame: hold its "max" label for a status
    // interval so a person (and the status line's observers) can see it happened.
    if (speed === Infinity && this.speed !== Infinity) this.loop.tapeMaxUntil = performance.now() + STATUS_INTERVAL_MS;
    if (speed === Infinity) {
      atMaxSpeed.add(this);
      const share = MAX_SPEED_FRAME_SHARE / atMaxSpeed.size;
      const sliceMs = Math.min(Math.max(elapsedMs, 4), 33) * share;
      const start = performance.now();
      do {
        m.run_for_watching_basic(MAX_SPEED_CHUNK_CYCLES);
        this.deck.service();
      } while (performance.now() - start < sliceMs);
    } else {
      atMaxSpeed.delete(this);
      const cycles = (elapsedMs / 1000) * this.clockHz * speed + this.loop.cycleCarry;
      const whole = Math.floor(cycles);
      this.loop.cycleCarry = cycles - whole;
      if (whole > 0) m.run_for_watching_basic(whole);
      this.deck.service();
    }
  }

  // What the ACIA sent this frame, as a `serialdata` event.
  serialOut() {
    const bytes = this.machine.serial_take_output();
    if (bytes.length) this.emit('serialdata', { bytes, text: serialText(bytes) });
  }

  serialSend(data) {
    let bytes;
    if (typeof data === 'string') bytes = new TextEncoder().encode(data);
    else if (data instanceof Uint8Array || data instanceof ArrayBuffer || Array.isArray(data)) bytes = new Uint8Array(data);
    else throw new TypeError('serial.send takes bytes or a string');
    this.machine.serial_send(bytes);
    this.wake();
  }

  present() {
    const m = this.machine;
    if (m.render()) {
      this.screen.draw(this.memory, m.framebuffer_ptr());
      this.text.screen = m.screen_text();
      this.mirrorLater();
    }
  }

  // The text mirror follows the screen (a screen reader should not be flooded while a program
  // scrolls); `screenchange` tells listeners the same way.
  updateMirror() {
    const cropped = this.screen.crop(this.text.screen);
    if (cropped === this.text.mirror) return;
    this.text.mirror = cropped;
    this.part('mirror').textContent = cropped;
    this.emit('screenchange', { text: cropped });
  }

  updateStatus(now) {
    const loop = this.loop;
    // A turbo load runs at max whatever the speed setting: say so the moment it starts and ends.
    const tapeMax = this.speed !== Infinity && (this.deck.wantsMaxSpeed() || now < (loop.tapeMaxUntil ?? 0));
    if (tapeMax !== loop.tapeMax) {
      loop.tapeMax = tapeMax;
      this.showSpeed();
    }
    if (now - loop.statusAt < STATUS_INTERVAL_MS) return;
    const cycles = this.machine.cycles();
    const measured = loop.statusAt !== 0;
    if (measured) this.mhz = (cycles - loop.statusCycles) / ((now - loop.statusAt) * 1000);
    loop.statusAt = now;
    loop.statusCycles = cycles;
    if (!measured) return;
    this.showSpeed();
    this.part('status-tape').textContent = this.deck.statusText();
  }

  showSpeed() {
    const label = this.speed === Infinity ? 'max' : this.loop.tapeMax ? 'max, turbo tape' : `${this.speed}×`;
    const jam = this.machine.jammed() ? ' · CPU jammed: press BREAK' : '';
    this.part('status-mhz').textContent = `${this.mhz.toFixed(3)} MHz (${label})${jam}`;
  }

  // ---- machine and ROMs ----

  buildMachine() {
    const { args, problems } = romArguments(this.romRecords);
    this.ram = Number(this.quietParam('ram') ?? '8');
    let machine;
    try {
      machine = Superboard.configured(this.ram, args.basic, args.chips, args.monitor, args.chargen);
    } catch (error) {
      problems.push(`${error.message}: using the open ROMs`);
      machine = Superboard.configured(this.ram);
    }
    this.machine?.free();
    this.machine = machine;
    machine.serial_connect(this.serialTurbo);
    this.crashed = false;
    this.loop.cycleCarry = 0;
    this.loop.statusAt = 0;
    this.deck.attach(machine);
    this.keysChanged();
    this.emit('machinechange', machine);
    this.wake();
    return problems;
  }

  keysChanged() {
    const lock = this.machine.shift_lock();
    this.part('status-keys').textContent =
      `${this.keyboard.mode === 'natural' ? 'Natural' : 'Positional'} keys · SHIFT LOCK ${lock ? 'down' : 'up'}`;
    this.emit('settingschange', this.settings);
  }

  updateFocusHint() {
    if (!this.shadowRoot) return;
    const pageWide = this.hasAttribute('page-keys');
    const focused = pageWide ? document.hasFocus() : this.shadowRoot.host === document.activeElement;
    this.part('click-to-type').hidden = focused || (pageWide && !this.embedded);
  }

  // ---- the API (panels, course pages, tests) ----

  // Fires `type` on the element with `detail`; bubbles out of shadow roots.
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // A status-line message. Others fade after MESSAGE_MS; an error stays until the next message,
  // the next key pressed on the page (the user has carried on) or ERROR_MESSAGE_MS.
  say(text, kind = 'info') {
    const el = this.part('status-message');
    el.textContent = text;
    el.dataset.kind = kind;
    clearTimeout(this.sayTimer);
    window.removeEventListener('keydown', this.onCarryOn, true);
    if (kind === 'error') {
      // Listened for after this event is over, so the key that caused the error keeps it.
      setTimeout(() => {
        if (el.dataset.kind === 'error') window.addEventListener('keydown', this.onCarryOn, true);
      });
    }
    this.sayTimer = setTimeout(() => this.clearMessage(), kind === 'error' ? ERROR_MESSAGE_MS : MESSAGE_MS);
    this.emit('notice', { text, kind });
  }

  clearMessage() {
    const el = this.part('status-message');
    el.textContent = '';
    delete el.dataset.kind;
    clearTimeout(this.sayTimer);
    window.removeEventListener('keydown', this.onCarryOn, true);
  }

  // A note above the status line that stays until dismissed (bad parameters and the like).
  note(text) {
    const note = document.createElement('div');
    note.className = 'note';
    note.setAttribute('role', 'alert');
    const p = document.createElement('p');
    p.textContent = text;
    const close = document.createElement('button');
    close.textContent = '×';
    close.title = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => note.remove());
    note.append(p, close);
    this.part('notes').append(note);
    this.emit('notice', { text, kind: 'note' });
    return note;
  }

  // The current settings, as panels show them.
  get settings() {
    return {
      speed: this.speed === Infinity ? 'max' : String(this.speed),
      view: this.screen.viewName,
      aspect: this.screen.tvAspect ? 'tv' : 'square',
      keys: this.keyboard.mode,
      shiftLock: this.machine?.shift_lock() ?? true,
      osk: this.osk?.shown ?? false,
      scan: this.osk?.teaching ?? false,
      phosphor: this.screen.display.phosphor,
      crt: this.screen.display.crt,
      margin: this.screen.margin,
    };
  }

  // Types `text` (RETURN as \r or \n) through the ROM's own keyboard scans; false (with a
  // message) if it holds a character the machine cannot type.
  type(text) {
    const ok = this.keyboard.type(normalizeText(String(text)));
    this.wake();
    return ok;
  }

  get typing() {
    return this.machine.typing_pending();
  }

  // The screen as Unicode text (graphics characters as their nearest Unicode characters,
  // docs/display.md): the current view's rows, or all 32×32 cells with view 'full'.
  screenUnicode(view) {
    const full = this.machine.screen_unicode();
    return view === 'full' ? full : cropText(full, this.screen.view);
  }

  // Copies the current view to the clipboard as Unicode text; resolves to the text.
  async copyScreen() {
    const text = this.screenUnicode();
    await copyText(text);
    this.say('Screen copied as text.');
    return text;
  }

  // The screen as a PNG Blob in the current phosphor and look: 3 pixels per emulated pixel
  // down and 3 (square) or 4 (4:3 TV) across; `bezel` draws the monitor around it.
  screenshot({ bezel = false } = {}) {
    return pngBlob(screenPicture(this.screen.display, { tvAspect: this.screen.tvAspect, bezel }));
  }

  // Starts a WebM recording of the screen (stops by itself after a minute); throws where the
  // browser cannot record.
  startRecording() {
    if (this.recording) return;
    this.recording = new Recording(this.screen.display, {
      tvAspect: this.screen.tvAspect,
      onStop: () => {
        this.recording = null;
        this.emit('recordingchange', { recording: false });
      },
    });
    this.say('Recording the screen…');
    this.emit('recordingchange', { recording: true });
  }

  // Stops the recording; resolves to the WebM Blob (null if none was running).
  async stopRecording() {
    if (!this.recording) return null;
    const seconds = this.recording.seconds;
    const blob = await this.recording.stop();
    this.say(`Recorded ${seconds.toFixed(1)} s of the screen.`);
    return blob;
  }

  // The screen as text: the current view's rows, or all 32×32 cells with view 'full'.
  screenText(view) {
    const full = this.machine.screen_text();
    return view === 'full' ? full : this.screen.crop(full);
  }

  // The BASIC program in memory as text, exactly as LIST prints it (no screen wrap); '' when
  // there is none. Throws with a readable message when BASIC has not been started or the
  // program is damaged.
  program() {
    return this.machine.program_listing();
  }

  // Inserts a tape (bytes, or a string as text); returns what is on it, or throws with a
  // readable message.
  loadTape(data, name = 'tape.bas') {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
    const detail = this.deck.insert(bytes, name);
    this.wake();
    return detail;
  }

  // BREAK: resets the CPU, keeps RAM.
  reset() {
    this.machine.press_break();
    this.say('BREAK');
    this.wake();
  }

  // The whole machine as a snapshot (Uint8Array; docs/snapshot-format.md).
  saveState() {
    return this.machine.save_state();
  }

  // Restores a snapshot; throws an Error saying what is wrong and leaves the machine as it was.
  // Speed, view, sound and the keys the person holds stay the page's (session state);
  // `statechange` ({ reason }) tells panels.
  loadState(bytes, reason = 'api') {
    this.machine.load_state(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    // The serial pane stays this page's: keep it connected whatever the snapshot held.
    this.machine.serial_connect(this.serialTurbo);
    this.keyboard.releaseAll();
    this.crashed = false;
    this.loop.cycleCarry = 0;
    this.loop.statusAt = 0;
    this.deck.restored();
    this.keysChanged();
    this.present();
    this.emit('statechange', { reason });
    this.wake();
  }

  // Switches off and on (RAM cleared); same tape, same settings.
  powerCycle() {
    return this.buildMachine();
  }

  // Use these user ROM records (see www/roms.js) and power cycle; returns the problems found.
  setRoms(records) {
    this.romRecords = records;
    return this.buildMachine();
  }

  setSpeed(value) {
    const key = String(value);
    if (!(key in SPEEDS)) throw new Error(`speed must be 1, 2, 4 or "max", not ${JSON.stringify(value)}`);
    this.speed = SPEEDS[key];
    this.loop.cycleCarry = 0;
    this.loop.statusAt = 0;
    this.emit('settingschange', this.settings);
  }

  setView(name) {
    this.screen.setView(name);
    this.text.screen = this.machine.screen_text();
    this.text.mirror = this.screen.crop(this.text.screen);
    this.part('mirror').textContent = this.text.mirror;
    // The canvas was resized (and so cleared): draw the whole view again.
    if (this.machine.framebuffer_ptr()) this.screen.draw(this.memory, this.machine.framebuffer_ptr());
    this.emit('settingschange', this.settings);
  }

  setAspect(tv) {
    this.screen.setAspect(Boolean(tv));
    this.emit('settingschange', this.settings);
  }

  setKeyboardMode(mode) {
    this.keyboard.setMode(mode);
  }

  toggleShiftLock() {
    this.keyboard.toggleShiftLock();
  }

  // Shows or hides the on-screen Superboard keyboard.
  showKeyboard(visible) {
    this.osk.show(visible);
    this.emit('settingschange', this.settings);
  }

  // Teaching mode of the on-screen keyboard: the rows light as the ROM scans them.
  showScan(on) {
    this.osk.setTeaching(on);
    if (on && !this.osk.shown) this.osk.show(true);
    this.emit('settingschange', this.settings);
  }

  // Shows the screen's text under the picture (it is always there for screen readers).
  showText(visible) {
    this.part('mirror').classList.toggle('visually-hidden', !visible);
  }

  // Stops the machine until `resume(reason)` with the same reason (several panels may pause it
  // at once: it runs again when none holds it).
  pause(reason = 'api') {
    this.pausedBy.add(reason);
    this.emit('pausechange', { paused: true, reasons: [...this.pausedBy] });
  }

  resume(reason = 'api') {
    this.pausedBy.delete(reason);
    this.emit('pausechange', { paused: this.paused, reasons: [...this.pausedBy] });
    this.wake();
  }

  get paused() {
    return this.pausedBy.size > 0;
  }

  // Calls `hook(element)` after every frame the machine runs; returns a function that stops it.
  onFrame(hook) {
    this.frameHooks.add(hook);
    return () => this.frameHooks.delete(hook);
  }

  // The deck (kept under its old name for scripts).
  get tape() {
    return this.deck;
  }
}

// Serial bytes as terminal text: CR is a line end, NULs and LFs (the padding and line feed
// BASIC sends after each CR) are dropped, other control bytes are shown as ^X.
export function serialText(bytes) {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0 || byte === 10) continue;
    if (byte === 13) text += '\n';
    else if (byte < 32) text += `^${String.fromCharCode(byte + 64)}`;
    else text += String.fromCharCode(byte);
  }
  return text;
}

customElements.define('superboard-ii', SuperboardElement);
