// ROMs: original ROM images the user supplies, recognised by SHA-1 in the core
// (`identify_rom`) and kept in IndexedDB so the next visit uses them too.
//
// Each stored record fills one socket: "basic" (8 KB), "basic-u9" … "basic-u12" (2 KB chips),
// "monitor" or "chargen" (2 KB). A recognised image goes to its own socket; an unrecognised
// image of the right size is accepted as "unrecognised" and placed by size and by hints in its
// file name, or, when the name says nothing, by asking which socket it is for.

const DB_NAME = 'superboard';
const DB_VERSION = 1;
const STORE = 'roms';

export const BASIC_BYTES = 8192;
export const CHIP_BYTES = 2048;

export const SLOTS = {
  basic: 'BASIC (8K)',
  'basic-u9': 'BASIC chip U9',
  'basic-u10': 'BASIC chip U10',
  'basic-u11': 'BASIC chip U11',
  'basic-u12': 'BASIC chip U12',
  monitor: 'Monitor (U13)',
  chargen: 'Character set (U41)',
};
const CHIP_SLOTS = ['basic-u9', 'basic-u10', 'basic-u11', 'basic-u12'];

// File-name hints for unrecognised 2 KB images.
const NAME_HINTS = [
  [/u13|mon|syn|cegmon|wemon/, 'monitor'],
  [/u41|char|chg|font/, 'chargen'],
  [/u9\b|u9\.|bas.*1|basic1/, 'basic-u9'],
  [/u10|bas.*2|basic2/, 'basic-u10'],
  [/u11|bas.*3|basic3/, 'basic-u11'],
  [/u12|bas.*4|basic4/, 'basic-u12'],
];

export function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export class RomStore {
  async open() {
    if (!('indexedDB' in window)) return;
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'slot' });
    try {
      this.db = await request(req);
    } catch {
      this.db = null; // private windows may refuse storage; ROMs then last for this visit only
    }
  }

  async all() {
    if (!this.db) return [];
    return request(this.db.transaction(STORE).objectStore(STORE).getAll());
  }

  async put(record) {
    if (!this.db) return;
    await request(this.db.transaction(STORE, 'readwrite').objectStore(STORE).put(record));
  }

  async remove(slot) {
    if (!this.db) return;
    await request(this.db.transaction(STORE, 'readwrite').objectStore(STORE).delete(slot));
  }

  async clear() {
    if (!this.db) return;
    await request(this.db.transaction(STORE, 'readwrite').objectStore(STORE).clear());
  }
}

// What a dropped ROM file is: { slot, name, bytes, sha1, description } or { ask: true, ... }
// when an unrecognised 2 KB file's name gives no hint. Throws with a readable message when the
// size cannot be any Superboard ROM.
export function classify(identify, name, bytes) {
  if (bytes.length !== BASIC_BYTES && bytes.length !== CHIP_BYTES) {
    throw new Error(
      `${name}: ${bytes.length} bytes is not a Superboard ROM ` +
        `(BASIC is 8192 bytes or four 2048-byte chips; monitor and character set are 2048 bytes)`,
    );
  }
  const info = identify(bytes);
  const record = {
    name,
    bytes,
    sha1: info.sha1,
    description: info.description || 'unrecognised',
    known: info.part !== '',
  };
  info.free?.();
  if (record.known) return { ...record, slot: info.part };
  if (bytes.length === BASIC_BYTES) return { ...record, slot: 'basic' };
  const lower = name.toLowerCase();
  const hint = NAME_HINTS.find(([pattern]) => pattern.test(lower));
  return hint ? { ...record, slot: hint[1] } : { ...record, ask: true };
}

// The arguments of `Superboard.with_roms` for a list of stored records, plus words on what is
// in use and any problem (e.g. an incomplete set of BASIC chips).
export function romArguments(records) {
  const bySlot = Object.fromEntries(records.map((r) => [r.slot, r]));
  const chips = CHIP_SLOTS.map((slot) => bySlot[slot]);
  const args = { basic: undefined, chips: undefined, monitor: undefined, chargen: undefined };
  const problems = [];
  if (bySlot.basic) {
    args.basic = bySlot.basic.bytes;
  } else if (chips.every(Boolean)) {
    args.chips = chips.map((chip) => chip.bytes);
  } else if (chips.some(Boolean)) {
    const missing = CHIP_SLOTS.filter((slot, i) => !chips[i]).map((slot) => slot.slice(6).toUpperCase());
    problems.push(`BASIC chip${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: using the open BASIC`);
  }
  if (bySlot.monitor) args.monitor = bySlot.monitor.bytes;
  if (bySlot.chargen) args.chargen = bySlot.chargen.bytes;
  return { args, problems };
}

export function slotLabel(slot) {
  return SLOTS[slot] ?? slot;
}

export const ASKABLE_SLOTS = ['monitor', 'chargen', ...CHIP_SLOTS];
