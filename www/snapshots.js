// Snapshots of one <superboard-ii>: the whole machine as bytes (docs/snapshot-format.md), kept
// so nothing is lost.
//
// - Resume after reload: the state is saved in IndexedDB when the page is hidden or closed
//   (pagehide, visibilitychange) and every few seconds while something changed (the screen, a
//   key, the tape); the next visit resumes there, with a note offering to start fresh. Keyed by
//   the page's path and query and the element's id, so several machines on one page each resume
//   their own.
//   `resume="off"` on the element turns it off.
// - Named slots in IndexedDB, shared by every page of the site.
// - Files: download the state, load it back (button or drop); a bad file is refused in words.
// - `state="URL"` (relative or data:) starts the machine from a prepared state, for lessons.
// - Rewind: a ring of states, one per second of running for the last REWIND_SECONDS, within
//   REWIND_BUDGET_BYTES; the machine goes back to one and continues from there.
//
// What counts as machine state and what stays with the page is decided in the core; here a
// snapshot is opaque bytes except for its video RAM, read for rewind thumbnails.

import { request } from './roms.js';

const DB_NAME = 'superboard-states';
const DB_VERSION = 1;
const RESUME_STORE = 'resume'; // key: page path + '#' + element id → { bytes, savedAt }
const SLOT_STORE = 'slots'; // key: slot name → { name, bytes, savedAt, page }

export const SNAPSHOT_EXTENSION = '.sbstate';
// The first five bytes of every snapshot: $89 "SBII".
const SIGNATURE = [0x89, 0x53, 0x42, 0x49, 0x49];
const HEADER_BYTES = 18;

const RESUME_SAVE_MS = 2000; // a changed machine is saved at most this often
const REWIND_INTERVAL_MS = 1000; // one state per second of running
const REWIND_SECONDS = 300; // kept for the last five minutes…
const REWIND_BUDGET_BYTES = 16 * 1024 * 1024; // …within 16 MB (about 30 KB per 32K state)
export const REWIND_STEP_S = 5; // what one press of Rewind (or F8) goes back
export const REWIND_KEY = 'F8';

// Whether a dropped or chosen file is meant as a snapshot: by its name or its signature.
export function isSnapshotFile(name, bytes) {
  if (name.toLowerCase().endsWith(SNAPSHOT_EXTENSION)) return true;
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

// The payload of section `tag` (four ASCII characters) of a snapshot, or null.
export function snapshotSection(bytes, tag) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = [...tag].map((c) => c.charCodeAt(0));
  let pos = HEADER_BYTES;
  while (pos + 8 <= bytes.length) {
    const length = view.getUint32(pos + 4, true);
    if (code.every((c, i) => bytes[pos + i] === c)) return bytes.subarray(pos + 8, pos + 8 + length);
    pos += 8 + length;
  }
  return null;
}

// Draws the firmware's 24×24 text window of a snapshot's video RAM on `canvas` through
// `chargen` (bit 0 of each glyph byte is the leftmost pixel).
export function drawThumbnail(canvas, bytes, chargen) {
  const vram = snapshotSection(bytes, 'VRAM');
  const ctx = canvas.getContext('2d');
  if (!vram || vram.length !== 1024 || !chargen) {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    return;
  }
  const image = ctx.createImageData(192, 192);
  for (let row = 0; row < 24; row++) {
    for (let col = 0; col < 24; col++) {
      const code = vram[(row + 4) * 32 + col + 5];
      for (let line = 0; line < 8; line++) {
        const bits = chargen[code * 8 + line];
        for (let px = 0; px < 8; px++) {
          const at = ((row * 8 + line) * 192 + col * 8 + px) * 4;
          const on = (bits >> px) & 1 ? 255 : 0;
          image.data[at] = on;
          image.data[at + 1] = on;
          image.data[at + 2] = on;
          image.data[at + 3] = 255;
        }
      }
    }
  }
  if (canvas.width === 192 && canvas.height === 192) {
    ctx.putImageData(image, 0, 0);
  } else {
    createImageBitmap(image).then((bitmap) => {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    });
  }
}

// The snapshot database, shared by every element of the page (opened once).
let dbPromise = null;
function openDb() {
  dbPromise ??= (async () => {
    if (!('indexedDB' in window)) return null;
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(RESUME_STORE);
      req.result.createObjectStore(SLOT_STORE, { keyPath: 'name' });
    };
    try {
      return await request(req);
    } catch {
      return null; // private windows may refuse storage: nothing is kept past this visit
    }
  })();
  return dbPromise;
}

async function withStore(name, mode, action) {
  const db = await openDb();
  if (!db) return undefined;
  return request(action(db.transaction(name, mode).objectStore(name)));
}

// A file name for a downloaded state: superboard-2026-12-05-0731.sbstate.
function stateFileName() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `superboard-${date}-${pad(now.getHours())}${pad(now.getMinutes())}${SNAPSHOT_EXTENSION}`;
}

export class Snapshots {
  constructor(element) {
    this.element = element;
    this.ring = []; // { bytes, cycles, at } oldest first
    this.ringBytes = 0;
    this.lastCaptureMs = 0;
    this.dirty = false;
    this.saving = null;
    this.resumeKey = Snapshots.keyFor(element);
    element.onFrame(() => this.afterFrame());
    const changed = () => { this.dirty = true; };
    for (const type of ['screenchange', 'tapechange', 'machinechange', 'statechange']) {
      element.addEventListener(type, changed);
    }
    window.addEventListener('keydown', (event) => {
      if (!element.keyboard.mine(event)) return;
      if (event.key === REWIND_KEY) {
        event.preventDefault();
        if (!event.repeat) this.rewind(REWIND_STEP_S);
        return;
      }
      changed();
    }, true);
    window.addEventListener('pagehide', () => this.saveResume());
    document.addEventListener('visibilitychange', () => { if (document.hidden) this.saveResume(); });
    this.timer = setInterval(() => this.saveResume(), RESUME_SAVE_MS);
  }

  // The page (path and query: a link with other parameters is another setup) and the element's
  // id (or its place among the page's machines).
  static keyFor(element) {
    const id = element.id || `superboard-${[...document.querySelectorAll('superboard-ii')].indexOf(element)}`;
    return `${location.pathname}${location.search}#${id}`;
  }

  get resumeEnabled() {
    return this.element.getAttribute('resume') !== 'off';
  }

  // ---- start-up: resume, or a prepared state ----

  // Called once the machine is built. Returns true if the machine resumed a saved state (the
  // element then skips its start-up actions: the tape and the typing are in the state).
  async start() {
    if (this.resumeEnabled) {
      const saved = await withStore(RESUME_STORE, 'readonly', (s) => s.get(this.resumeKey)).catch(() => null);
      if (saved?.bytes) {
        try {
          this.element.loadState(saved.bytes, 'resume');
          this.offerFreshStart();
          return true;
        } catch (error) {
          await this.forgetResume();
          this.element.note(`Could not resume where you left off (${error.message}); starting afresh.`);
        }
      }
    }
    await this.loadStateAttribute();
    return false;
  }

  async loadStateAttribute() {
    const source = this.element.getAttribute('state');
    if (source === null || source === '') return false;
    try {
      const response = await fetch(new URL(source, document.baseURI));
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      this.element.loadState(new Uint8Array(await response.arrayBuffer()), 'state');
      return true;
    } catch (error) {
      const shown = source.startsWith('data:') ? 'data: URL' : source;
      this.element.note(`state=${shown}: ${error.message}`);
      return false;
    }
  }

  offerFreshStart() {
    const note = this.element.note('Resumed where you left off.');
    const fresh = document.createElement('button');
    fresh.textContent = 'Start fresh';
    fresh.className = 'fresh';
    fresh.addEventListener('click', async () => {
      note.remove();
      await this.startFresh();
    });
    note.querySelector('p').append(' ', fresh);
  }

  // Forget the saved state and start as a first visit would: power on, the prepared state if
  // any, then the element's tape and typing.
  async startFresh() {
    this.ring = [];
    this.ringBytes = 0;
    this.element.deck.file = null; // the resumed tape goes too
    // Power cycle before forgetting: a periodic save falling inside the forget's round trip
    // then keeps the fresh machine, not the old one put back after its delete.
    this.element.powerCycle();
    this.dirty = false;
    await this.forgetResume();
    await this.loadStateAttribute();
    await this.element.startActions();
    this.dirty = false;
    this.element.emit('rewindchange', this.rewindInfo);
  }

  async forgetResume() {
    await withStore(RESUME_STORE, 'readwrite', (s) => s.delete(this.resumeKey)).catch(() => {});
  }

  // Saves the state for the next visit if anything changed since the last save.
  saveResume() {
    if (!this.dirty || !this.resumeEnabled || !this.element.machine || this.saving) return this.saving;
    this.dirty = false;
    const record = { bytes: this.element.saveState(), savedAt: Date.now() };
    this.saving = withStore(RESUME_STORE, 'readwrite', (s) => s.put(record, this.resumeKey))
      .then(() => this.element.emit('statesaved', { key: this.resumeKey, bytes: record.bytes.length }))
      .catch(() => { this.dirty = true; })
      .finally(() => { this.saving = null; });
    return this.saving;
  }

  // ---- rewind ----

  afterFrame() {
    const now = performance.now();
    if (now - this.lastCaptureMs < REWIND_INTERVAL_MS) return;
    this.lastCaptureMs = now;
    this.capture();
  }

  capture() {
    const m = this.element.machine;
    const bytes = m.save_state();
    this.ring.push({ bytes, cycles: m.cycles() });
    this.ringBytes += bytes.length;
    while (this.ring.length > REWIND_SECONDS || this.ringBytes > REWIND_BUDGET_BYTES) {
      this.ringBytes -= this.ring.shift().bytes.length;
    }
    this.element.emit('rewindchange', this.rewindInfo);
  }

  // { states, bytes, seconds }: what the ring holds.
  get rewindInfo() {
    const seconds = this.ring.length
      ? (this.element.machine.cycles() - this.ring[0].cycles) / this.element.clockHz
      : 0;
    return { states: this.ring.length, bytes: this.ringBytes, seconds };
  }

  // Seconds of emulated time between the ring's entry `index` and now.
  ageOf(index) {
    return (this.element.machine.cycles() - this.ring[index].cycles) / this.element.clockHz;
  }

  // Goes back to the newest state at least `seconds` old (the oldest kept if none is); the
  // states after it are dropped, since the machine continues from there. False if the ring is
  // empty.
  rewind(seconds) {
    if (!this.ring.length) {
      this.element.say('Nothing to rewind to yet.');
      return false;
    }
    let index = this.ring.length - 1;
    while (index > 0 && this.ageOf(index) < seconds) index--;
    return this.rewindTo(index);
  }

  rewindTo(index) {
    const entry = this.ring[index];
    if (!entry) return false;
    const age = this.ageOf(index);
    this.element.loadState(entry.bytes, 'rewind');
    // Keep the entry itself: a second press goes back further from here.
    for (const dropped of this.ring.splice(index + 1)) this.ringBytes -= dropped.bytes.length;
    this.lastCaptureMs = performance.now();
    this.element.say(`Rewound ${age.toFixed(1)} s.`);
    this.element.emit('rewindchange', this.rewindInfo);
    return true;
  }

  // ---- slots ----

  async slots() {
    const all = (await withStore(SLOT_STORE, 'readonly', (s) => s.getAll()).catch(() => [])) ?? [];
    return all.sort((a, b) => b.savedAt - a.savedAt);
  }

  async saveSlot(name) {
    const clean = String(name).trim() || 'Quick save';
    const record = { name: clean, bytes: this.element.saveState(), savedAt: Date.now(), page: location.pathname };
    const stored = await withStore(SLOT_STORE, 'readwrite', (s) => s.put(record));
    if (stored === undefined) throw new Error('this browser keeps no storage for this page (private window?)');
    return record;
  }

  async loadSlot(name) {
    const record = await withStore(SLOT_STORE, 'readonly', (s) => s.get(name));
    if (!record) throw new Error(`no saved state called "${name}"`);
    this.element.loadState(record.bytes, 'slot');
    return record;
  }

  async deleteSlot(name) {
    await withStore(SLOT_STORE, 'readwrite', (s) => s.delete(name));
  }

  // ---- files ----

  download() {
    const url = URL.createObjectURL(new Blob([this.element.saveState()], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = stateFileName();
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return a.download;
  }

  // Loads a state from a file's bytes; says in words what happened. Returns whether it loaded.
  loadFile(bytes, name) {
    try {
      this.element.loadState(bytes, 'file');
      this.element.say(`State loaded from ${name}.`);
      return true;
    } catch (error) {
      this.element.say(`${name} not loaded: ${error.message}`, 'error');
      this.element.emit('statefailed', { name, message: error.message });
      return false;
    }
  }
}
