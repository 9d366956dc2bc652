// The tape shelf: every tape the user put in the deck (a dropped or opened file) or made (a
// SAVE) is kept in IndexedDB with its name, kind, size, recordings and the date it was added,
// so the next visit finds it. From the shelf a tape goes back into the deck (optionally wound
// to one of its recordings), downloads under its name, is renamed or deleted (with undo).
//
// The shelf belongs to the main page's Cassette card (www/panels/cassette.js draws it); a course
// page without that card has none. The store is per origin: every page and element of the site
// shares it. What is stored is the tape's natural file: a file's own bytes as the user gave them
// (listing, .65v, WAV/FLAC/Ogg/MP3 recording), and for a SAVE or a line-in recording the 300-baud
// WAV the deck downloads (44.1 kHz 16-bit mono, about 88 KB per second of tape; kept gzipped,
// about 150 times smaller), which decodes back into the same recordings. A SAVE appended to a
// tape that came from a SAVE updates that entry in place.
//
// Events (on the TapeShelf, an EventTarget):
//   change   the entries changed (added, updated, renamed, deleted, restored) or the tape in the
//            deck is another one
//   message  { text, kind, undo }: what happened, in words (`undo` set after a delete)

import { request } from './roms.js';
import { baseName, download } from './tape.js';

const DB_NAME = 'superboard-tapes';
const DB_VERSION = 1;
// key: id (auto-increment) → { id, name, file, kind, source, size, stored, encoding, recordings:
// [{ name, bytes }], addedAt, updatedAt }. `size` is the file's bytes, `stored` what it takes on
// the shelf (`encoding` 'gzip': compressed; absent: as it is). `file` is the original file name
// (its extension says how the bytes are read); `kind` what the deck made of it ('listing',
// 'machine code', 'recording') or 'SAVE' / 'line-in'; `source` is 'file' (inserted by the user)
// or 'saved' (made by the user: a SAVE or a line-in recording).
const STORE = 'tapes';
// key: the same id → the tape's bytes (Uint8Array, compressed if `encoding` says so), apart so
// listing the shelf reads no tape.
const BYTES_STORE = 'tape-bytes';

// The shelf refuses a tape that would take it past this many bytes as stored (some 1,700 SAVEs
// of a 40-line program, gzipped; or about ten minutes of a real recording's WAV); the user makes
// room by deleting.
export const SHELF_LIMIT_BYTES = 50 * 1024 * 1024;

const MIME = {
  '.bas': 'text/plain', '.txt': 'text/plain', '.wav': 'audio/wav', '.flac': 'audio/flac',
  '.ogg': 'audio/ogg', '.oga': 'audio/ogg', '.mp3': 'audio/mpeg',
};

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

// ".bas" of "loop.bas" ('' without one).
function extension(file) {
  const match = /\.[^.]*$/.exec(file);
  return match ? match[0].toLowerCase() : '';
}

// The file name of an entry: its (user's) name with the original file's extension.
export function fileNameOf(entry) {
  const ext = extension(entry.file);
  const stem = entry.name.replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-');
  return stem.toLowerCase().endsWith(ext) ? stem : `${stem}${ext}`;
}

// What is wrong with a stored entry, in words ('' if nothing): a damaged or foreign entry is
// shown so it can be deleted, never used.
function problemOf(entry) {
  if (!entry || typeof entry !== 'object') return 'not a tape record';
  if (typeof entry.name !== 'string' || typeof entry.file !== 'string') return 'it has no name';
  if (!Number.isInteger(entry.size) || !Array.isArray(entry.recordings)) return 'its size or list of recordings is missing';
  return '';
}

// The same for its bytes as stored.
function bytesProblem(entry, bytes) {
  if (!(bytes instanceof Uint8Array)) return 'its bytes are missing';
  const stored = storedSize(entry);
  if (bytes.length !== stored) return `it should hold ${stored} bytes but holds ${bytes.length}`;
  return '';
}

// What an entry takes on the shelf (what the limit counts).
export function storedSize(entry) {
  return Number.isInteger(entry.stored) ? entry.stored : entry.size || 0;
}

// A WAV the deck made is tones from a table: gzip (CompressionStream) makes the 4.9 MB SAVE of a
// 40-line program 31 KB (tests/e2e/shelf-bench.mjs). Kept compressed when that saves a tenth or
// more; real recordings, MP3s and short listings stay as they are.
async function pack(bytes) {
  if (typeof CompressionStream !== 'function') return { bytes, encoding: null };
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
    const packed = new Uint8Array(await new Response(stream).arrayBuffer());
    return packed.length < bytes.length * 0.9 ? { bytes: packed, encoding: 'gzip' } : { bytes, encoding: null };
  } catch {
    return { bytes, encoding: null };
  }
}

async function unpack(bytes, encoding) {
  if (!encoding) return bytes;
  if (encoding !== 'gzip' || typeof DecompressionStream !== 'function') {
    throw new Error(`it is stored as ${encoding}, which this browser cannot read`);
  }
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    throw new Error('its compressed bytes do not decompress');
  }
}

// Why a write failed, in words.
function storageError(error) {
  if (error?.name === 'QuotaExceededError') {
    return 'the browser has no more room for this site (its storage quota is full); delete tapes or states to make room';
  }
  return error?.message || String(error);
}

// The database, shared by every shelf of the page (opened once). Null when the browser keeps no
// storage for this page (a private window may refuse IndexedDB).
let dbPromise = null;
function openDb() {
  dbPromise ??= (async () => {
    if (!('indexedDB' in window)) return null;
    try {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
        req.result.createObjectStore(BYTES_STORE);
      };
      const db = await request(req);
      // Another page deleting or upgrading the database is not kept waiting by this one.
      db.onversionchange = () => db.close();
      return db;
    } catch {
      return null;
    }
  })();
  return dbPromise;
}

// Runs `action(entries, bytes)` (the two object stores) in one transaction and resolves with
// what its request returned (the last one, if it returns several) once the transaction has
// committed: a quota error shows up only then.
async function transact(mode, action) {
  const db = await openDb();
  if (!db) throw new Error('this browser keeps no storage for this page (a private window?)');
  return new Promise((resolve, reject) => {
    const tx = db.transaction([STORE, BYTES_STORE], mode);
    let req = action(tx.objectStore(STORE), tx.objectStore(BYTES_STORE));
    if (Array.isArray(req)) req = req.at(-1);
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(new Error(storageError(tx.error ?? req.error)));
    tx.onabort = () => reject(new Error(storageError(tx.error ?? req.error)));
  });
}

export class TapeShelf extends EventTarget {
  // `element`: the <superboard-ii> whose deck the shelf fills and empties. With `keep` false
  // (an embedded page, where the card is hidden) nothing new is put on the shelf.
  constructor(element, { keep = true } = {}) {
    super();
    this.element = element;
    this.keep = keep;
    // The entry whose tape is in the deck: { id, source }, or null (another tape, or none).
    this.inDeck = null;
    this.deleted = null; // the last deleted record, for undo
    this.unavailable = '';
    this.keeping = Promise.resolve(); // writes one after another, so a SAVE never races itself
    // Any other tape (a Programs-shelf program, ?tape=, a snapshot's) is not a shelf entry; the
    // shelf's own inserts (and keeps) set `inDeck` again after the deck has loaded.
    element.addEventListener('tapeloaded', () => this.setInDeck(null));
    element.addEventListener('statechange', () => this.setInDeck(null));
    element.addEventListener('tapesaved', () => this.keepDeckTape('SAVE'));
    // Other tabs of the site share the shelf: each write tells them to redraw.
    this.channel = 'BroadcastChannel' in window ? new BroadcastChannel(DB_NAME) : null;
    if (this.channel) this.channel.onmessage = () => this.changed();
    openDb().then((db) => {
      if (!db) {
        this.unavailable = 'The tape shelf is not available: this browser keeps no storage for this page ' +
          '(a private window?). Tapes work as usual but are not kept for the next visit.';
      }
      this.changed();
    });
  }

  get deck() {
    return this.element.deck;
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }

  say(text, kind = 'info', undo = null) {
    this.dispatchEvent(new CustomEvent('message', { detail: { text, kind, undo } }));
  }

  setInDeck(entry) {
    const next = entry ? { id: entry.id, source: entry.source } : null;
    if (next?.id === this.inDeck?.id) return;
    this.inDeck = next;
    this.changed();
  }

  // Every entry, newest first: { id, name, file, kind, source, size, recordings, addedAt,
  // updatedAt }, or { id, problem } for a damaged one.
  async entries() {
    let entries;
    try {
      entries = await transact('readonly', (s) => s.getAll());
    } catch {
      return [];
    }
    return entries
      .map((e) => {
        const problem = problemOf(e);
        return problem ? { id: e?.id, problem, addedAt: Number(e?.addedAt) || 0, size: 0, stored: 0 } : e;
      })
      .sort((a, b) => b.addedAt - a.addedAt || b.id - a.id);
  }

  // Bytes the shelf holds.
  async usage() {
    return (await this.entries()).reduce((sum, e) => sum + storedSize(e), 0);
  }

  // Entry `id` with its bytes; throws in words if it is gone or damaged.
  async get(id) {
    let entryReq;
    const bytes = await transact('readonly', (s, b) => [entryReq = s.get(id), b.get(id)]);
    const entry = entryReq.result;
    if (!entry) throw new Error('that tape is no longer on the shelf');
    let problem = problemOf(entry) || bytesProblem(entry, bytes);
    let file = bytes;
    if (!problem) {
      try {
        file = await unpack(bytes, entry.encoding);
        if (file.length !== entry.size) problem = `it should hold ${entry.size} bytes but holds ${file.length}`;
      } catch (error) {
        problem = error.message;
      }
    }
    if (problem) throw new Error(`the shelf's entry is damaged (${problem}); delete it`);
    return { ...entry, bytes: file };
  }

  // Stores `record` ({ ...entry, bytes, size } with the file's bytes; new without an id) unless
  // the shelf would pass its limit; resolves to its id.
  async store(record) {
    const { bytes: file, ...entry } = record;
    const { bytes, encoding } = await pack(file);
    entry.stored = bytes.length;
    if (encoding) entry.encoding = encoding;
    else delete entry.encoding;
    const others = (await this.entries()).filter((e) => e.id !== record.id);
    const used = others.reduce((sum, e) => sum + storedSize(e), 0);
    if (used + bytes.length > SHELF_LIMIT_BYTES) {
      throw new Error(`the shelf holds ${formatBytes(used)} and this tape takes ${formatBytes(bytes.length)}, ` +
        `past the shelf's ${formatBytes(SHELF_LIMIT_BYTES)}; delete tapes you no longer need to make room`);
    }
    if (entry.id === undefined) delete entry.id;
    const id = await transact('readwrite', (s, b) => {
      const req = s.put(entry);
      req.onsuccess = () => b.put(bytes, req.result);
      return req;
    });
    this.channel?.postMessage('stored');
    return id;
  }

  // The recordings on the deck's tape, as the shelf lists them.
  deckRecordings() {
    return this.deck.recordings().map((r) => ({ name: r.name, bytes: r.bytes }));
  }

  // ---- what goes onto the shelf ----

  // A file the user dropped or opened: into the deck, then onto the shelf (once: the same bytes
  // under the same file name are the entry already there). Resolves to the deck's detail, or
  // null if the deck could not read it (it said why).
  async insertFile(bytes, file) {
    const detail = await this.deck.insertQuietly(bytes, file);
    if (!detail) return null;
    const recordings = this.deckRecordings();
    this.keeping = this.keeping.then(() => this.keepFile(bytes, file, detail.kind, recordings)).catch((error) => {
      this.say(`${file} is in the deck but not kept on the shelf: ${error.message || error}.`, 'error');
    });
    await this.keeping;
    return detail;
  }

  async keepFile(bytes, file, kind, recordings) {
    if (this.unavailable || !this.keep) return;
    try {
      for (const entry of await this.entries()) {
        if (entry.source !== 'file' || entry.file !== file || entry.size !== bytes.length) continue;
        const kept = await this.get(entry.id).catch(() => null);
        if (kept && sameBytes(kept.bytes, bytes)) {
          this.setInDeck(entry);
          return;
        }
      }
      const now = Date.now();
      const record = {
        name: baseName(file), file, kind, source: 'file', bytes, size: bytes.length, recordings,
        addedAt: now, updatedAt: now,
      };
      record.id = await this.store(record);
      this.inDeck = null;
      this.setInDeck(record);
      this.say(`Kept on the tape shelf: ${record.name}.`, 'ok');
    } catch (error) {
      this.say(`${file} is in the deck but not kept on the shelf: ${error.message}.`, 'error');
    }
  }

  // A tape the user made is in the deck — `kind` 'SAVE' (a SAVE finished: the earlier
  // recordings and the new one) or 'line-in' (a line-in recording, decoded): kept as the WAV
  // the deck downloads, onto the entry the tape came from if that was one the user made, else
  // as a new entry.
  keepDeckTape(kind) {
    this.keeping = this.keeping.then(() => this.keepRecording(kind)).catch((error) => {
      this.say(`The tape is in the deck but not kept on the shelf: ${error.message || error}.`, 'error');
    });
    return this.keeping;
  }

  async keepRecording(kind) {
    if (this.unavailable || !this.keep) return;
    let wav;
    try {
      wav = this.deck.m.tape_wav();
    } catch (error) {
      this.say(`The recording is not kept on the shelf: ${error.message}.`, 'error');
      return;
    }
    const recordings = this.deckRecordings();
    const now = Date.now();
    try {
      let record = null;
      if (this.inDeck?.source === 'saved') {
        record = await this.get(this.inDeck.id).catch(() => null);
      }
      if (record) {
        Object.assign(record, { bytes: wav, size: wav.length, recordings, updatedAt: now });
        await this.store(record);
        this.say(`Tape shelf: ${record.name} now holds ${plural(recordings.length, 'recording')}.`, 'ok');
      } else {
        const name = this.deck.downloadName;
        record = {
          name, file: `${name}.wav`, kind, source: 'saved', bytes: wav, size: wav.length,
          recordings, addedAt: now, updatedAt: now,
        };
        record.id = await this.store(record);
        this.say(`Kept on the tape shelf: ${name} (${formatBytes(wav.length)} of WAV).`, 'ok');
      }
      this.inDeck = null;
      this.setInDeck(record);
    } catch (error) {
      this.say(`The recording is on the deck's tape but not kept on the shelf: ${error.message}. ` +
        'Download it to keep it.', 'error');
    }
  }

  // ---- what the shelf does ----

  // Puts entry `id` into the deck; with `recording` (0-based) winds to that recording.
  // Resolves to whether it is in the deck.
  async insert(id, recording = null) {
    let record;
    try {
      record = await this.get(id);
    } catch (error) {
      this.say(`Not inserted: ${error.message}.`, 'error');
      return false;
    }
    const detail = await this.deck.insertQuietly(record.bytes, fileNameOf(record));
    if (!detail) {
      this.say(`${record.name} could not be read (see the report above); the shelf keeps it as it is.`, 'error');
      return false;
    }
    this.setInDeck(record);
    if (recording !== null) {
      try {
        this.deck.wind(recording);
      } catch (error) {
        this.say(`${record.name} is in the deck, but ${error.message || error}.`, 'error');
        return true;
      }
      const name = this.deck.recordings()[recording]?.name ?? '';
      this.element.say(`${record.name} wound to recording ${recording + 1}${name ? ` (${name})` : ''}. Press LOAD & RUN, or type LOAD.`);
    }
    return true;
  }

  async download(id) {
    try {
      const record = await this.get(id);
      download(record.bytes, fileNameOf(record), MIME[extension(record.file)] ?? 'application/octet-stream');
    } catch (error) {
      this.say(`Not downloaded: ${error.message}.`, 'error');
    }
  }

  // Renames entry `id`; resolves to the name it has afterwards.
  async rename(id, name) {
    // Only the entry changes: read and written in one transaction, the tape's bytes untouched.
    const clean = String(name).trim().replace(/[\x00-\x1f]+/g, ' ').slice(0, 80);
    let old = null;
    try {
      await transact('readwrite', (s) => {
        const req = s.get(id);
        req.onsuccess = () => {
          old = req.result;
          if (!old || problemOf(old) || !clean || clean === old.name) return;
          s.put({ ...old, name: clean });
        };
        return req;
      });
    } catch (error) {
      this.say(`Not renamed: ${error.message}.`, 'error');
      this.changed();
      return null;
    }
    if (!old || problemOf(old)) {
      this.say('Not renamed: that tape is no longer on the shelf.', 'error');
      this.changed();
      return null;
    }
    if (!clean) {
      this.say('A tape on the shelf needs a name; it keeps its old one.', 'error');
      this.changed();
      return old.name;
    }
    if (clean !== old.name) {
      this.channel?.postMessage('renamed');
      this.say(`Renamed ${old.name} to ${clean}.`, 'ok');
      this.changed();
    }
    return clean;
  }

  // Deletes entry `id`; the message offers undo until the next delete.
  async remove(id) {
    const record = await this.get(id).catch(() => null);
    try {
      await transact('readwrite', (s, b) => [s.delete(id), b.delete(id)]);
      this.channel?.postMessage('deleted');
    } catch (error) {
      this.say(`Not deleted: ${error.message}.`, 'error');
      return;
    }
    if (this.inDeck?.id === id) this.inDeck = null;
    this.deleted = record;
    this.say(`Deleted ${record ? record.name : 'the damaged entry'} from the shelf.`, 'info',
      record ? () => this.undoDelete() : null);
    this.changed();
  }

  async undoDelete() {
    const record = this.deleted;
    if (!record) return;
    this.deleted = null;
    try {
      await this.store(record);
      this.say(`${record.name} is back on the shelf.`, 'ok');
    } catch (error) {
      this.say(`${record.name} could not be put back: ${error.message}.`, 'error');
    }
    this.changed();
  }
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
