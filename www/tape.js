// The cassette deck of one machine: what is inserted, PLAY/STOP/REWIND, turbo, LOAD & RUN and
// SAVE choreography, downloads and the tape sound. Owned by its <superboard-ii> element; the
// front panel (www/panels/cassette.js) only draws this state and calls these methods.
//
// The deck itself (tape timing, turbo, auto-play, recording, WAV encoding/decoding) is the core's
// TapeDeck behind the facade; this module adds the choreography, which only types what a person
// would type, and tells the element what happened through `emit(type, detail)`:
//   tapechange  the state changed (inserted, playing, stopped, recording, turbo…)
//   tapereport  { text, kind }: what the last insert or recording found, in words
//   tapeloaded  { name, kind, bytes, durationS, report, warnings, warningCount }: a tape was
//               inserted (warnings: where BASIC will store a listing differently, in words)
//   tapesaved   { bytes, listing }: a recording finished

import { TapeAudio } from './audio.js';

const TAPE_EXTENSIONS = ['.bas', '.txt', '.wav', '.65v', '.lod'];
// Emulated time without a new byte after which a SAVE is taken to be finished.
const SAVE_QUIET_S = 1.5;

export function isTapeFile(name) {
  const lower = name.toLowerCase();
  return TAPE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

// Offers `bytes` as a file download called `name`.
export function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function baseName(name) {
  return name.replace(/\.[^.]*$/, '') || 'tape';
}

// A file name for a program: the words of its first REM line ("10 REM STAR TREK" →
// "star-trek"), else `fallback`.
export function programName(listing, fallback) {
  const rem = /^\s*\d+\s*REM[\s:*-]*([A-Za-z0-9][^\n]*)/m.exec(listing);
  const words = rem ? rem[1].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) : '';
  return words || fallback;
}

// What a user typed as a download name, made safe for a file name (no path, no extension).
function fileStem(text) {
  return text.trim().replace(/\.(wav|bas|txt)$/i, '').replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-');
}

export class TapeDeck {
  // `say(text, kind)` shows a status message; `typeText(text)` types through the typist (false
  // if it could not); `emit(type, detail)` tells the element; `clockHz` is the CPU clock.
  constructor({ say, typeText, emit, clockHz }) {
    this.say = say;
    this.typeText = typeText;
    this.emit = emit;
    this.clockHz = clockHz;
    this.m = null;
    this.file = null; // { name, bytes } of the inserted file, re-inserted after a power cycle
    this.tapeBytes = new Uint8Array(0);
    this.tapeTimes = new Float64Array(0);
    this.phase = 'idle'; // LOAD & RUN / SAVE choreography: idle, load, save
    this.afterLoad = 'RUN\r'; // typed once a LOAD & RUN tape has been read ('' for nothing)
    this.saveState = null;
    this.recorded = null; // { name } of the last recording, for the downloads
    this.customName = null; // the download name the user typed, if any
    this.turbo = true;
    this.lastReport = { text: '', kind: 'info' };
    this.audio = new TapeAudio();
    this.audio.ready.then(() => this.m && this.updateAudioRate());
  }

  // A new machine (start-up, power cycle, ROM change): same tape, settings carried over.
  attach(machine) {
    this.m = machine;
    this.m.set_tape_auto_play(true);
    this.m.set_turbo_tape(this.turbo);
    this.phase = 'idle';
    if (this.file) {
      try {
        this.m.insert_tape(this.file.insertName ?? this.file.name, this.file.bytes).free();
      } catch {
        this.file = null;
      }
    }
    this.updateAudioRate();
    this.changed();
  }

  // After a snapshot was loaded: the machine's tape, turbo and transport are now the truth; the
  // LOAD & RUN / SAVE choreography (page state) starts idle.
  restored() {
    const info = this.m.tape_info();
    // The restored tape's bytes as they are on tape (raw), re-laid at 300 baud by a power cycle.
    this.file = info ? { name: info.name, bytes: this.m.tape_bytes(), insertName: 'restored.tape' } : null;
    info?.free();
    this.recorded = null;
    this.phase = 'idle';
    const turbo = this.m.tape_turbo();
    if (turbo !== this.turbo) {
      this.turbo = turbo;
      this.updateAudioRate();
    }
    if (this.file) this.readTape();
    this.changed();
  }

  changed() {
    this.emit('tapechange', { state: this.m.tape_state(), name: this.file?.name ?? null });
  }

  setTurbo(on) {
    this.turbo = Boolean(on);
    this.m.set_turbo_tape(this.turbo);
    this.updateAudioRate();
    this.changed();
  }

  updateAudioRate() {
    // Sound only makes sense at real speed; turbo tapes are silent.
    this.m.set_tape_audio_rate(this.turbo ? 0 : this.audio.sampleRate);
  }

  // Insert a tape; returns what is on it, throws with a readable message if it cannot be read.
  insert(bytes, name) {
    let info;
    try {
      info = this.m.insert_tape(name, bytes);
    } catch (error) {
      this.report(error.message, 'error');
      this.say(`Tape not loaded: ${error.message}`, 'error');
      throw error;
    }
    const detail = {
      name: info.name,
      kind: info.kind,
      bytes: info.bytes,
      durationS: info.duration_s,
      report: info.report,
      warnings: info.warnings,
      warningCount: info.warning_count,
    };
    info.free();
    this.file = { name, bytes };
    this.recorded = null;
    this.customName = null;
    this.readTape();
    const duration = detail.durationS >= 60
      ? `${Math.floor(detail.durationS / 60)} min ${Math.round(detail.durationS % 60)} s`
      : `${detail.durationS.toFixed(1)} s`;
    this.report(
      `${name}: ${bytes.length.toLocaleString()} bytes → ${detail.kind}, ${detail.bytes.toLocaleString()} ` +
        `characters, ${duration} of tape at 300 baud.${detail.report ? ` Decoded: ${detail.report}` : ''}` +
        (detail.warningCount
          ? `\n${plural(detail.warningCount, 'warning')} (the tape loads as the machine reads it):\n${detail.warnings}`
          : ''),
      detail.warningCount ? 'warning' : 'ok',
    );
    this.say(detail.warningCount
      ? `Tape inserted: ${name}, with ${plural(detail.warningCount, 'warning')} (see the cassette panel). Press LOAD & RUN, or type LOAD.`
      : `Tape inserted: ${name}. Press LOAD & RUN, or type LOAD.`, detail.warningCount ? 'warning' : 'info');
    this.changed();
    this.emit('tapeloaded', detail);
    return detail;
  }

  insertQuietly(bytes, name) {
    try {
      this.insert(bytes, name);
    } catch {
      // already reported in the panel and the status line
    }
  }

  readTape() {
    this.tapeBytes = this.m.tape_bytes();
    this.tapeTimes = this.m.tape_times_s();
  }

  report(text, kind = 'info') {
    this.lastReport = { text, kind };
    this.emit('tapereport', this.lastReport);
  }

  play() {
    if (!this.m.tape_info()) return;
    this.m.play_tape();
    this.changed();
  }

  stop() {
    if (this.m.tape_state() === 'recording') {
      this.finishRecording();
      return;
    }
    this.m.stop_tape();
    this.phase = 'idle';
    this.changed();
  }

  rewind() {
    this.m.rewind_tape();
    this.phase = 'idle';
    this.changed();
  }

  // LOAD & RUN: (from the monitor prompt, or with `coldStart` right after power-on, cold-start
  // BASIC first), NEW, LOAD; the deck starts by itself when LOAD asks for the cassette; at the
  // end of the tape SPACE ends the load, then `then` is typed (RUN by default; LIST for a share
  // link; '' for nothing).
  loadAndRun(then = 'RUN\r', coldStart = false) {
    if (!this.file) return false;
    this.m.rewind_tape();
    const lines = this.m.screen_text().trimEnd().split('\n');
    const last = lines[lines.length - 1] ?? '';
    const prefix = coldStart || /C\/W\/M \?/.test(last) ? 'C\r\r' : '';
    if (!this.typeText(`${prefix}NEW\rLOAD\r`)) return false;
    this.phase = 'load';
    this.afterLoad = then;
    this.say(`Loading ${this.file.name}…`);
    this.changed();
    return true;
  }

  startRecording() {
    this.file = null;
    this.m.eject_tape();
    this.m.record_tape();
    this.tapeBytes = new Uint8Array(0);
    this.tapeTimes = new Float64Array(0);
    this.report('Recording. Type SAVE, then LIST; press Stop when the listing has finished.');
    this.changed();
  }

  finishRecording() {
    this.phase = 'idle';
    const captured = this.m.stop_tape();
    this.changed();
    if (!captured || this.m.tape_len() === 0) {
      this.report('Nothing was recorded (type SAVE and LIST while recording).', 'error');
      return null;
    }
    this.readTape();
    // Keep the recording as the deck's tape (raw bytes, re-laid at 300 baud after a power
    // cycle), so LOAD & RUN can load it back.
    this.file = { name: 'recording.tape', bytes: this.tapeBytes.slice() };
    const listing = this.m.tape_listing();
    const lines = listing ? listing.trimEnd().split('\n').length : 0;
    this.recorded = { name: programName(listing, 'program') };
    this.customName = null;
    this.report(`Recorded ${this.tapeBytes.length.toLocaleString()} bytes: ${lines} program line${lines === 1 ? '' : 's'}. ` +
      'Download it, or rewind and LOAD it back.', 'ok');
    const detail = { bytes: this.tapeBytes.length, listing };
    this.emit('tapesaved', detail);
    this.changed();
    return detail;
  }

  // SAVE the program in memory onto a new tape: RECORD, type SAVE and LIST, stop once the
  // listing has gone quiet. The monitor's SAVE flag ($0205) is cleared afterwards, as POKE
  // 517,0 would, so typing no longer goes to the cassette at 300 baud.
  saveProgram() {
    this.startRecording();
    if (!this.typeText('SAVE\rLIST\r')) return;
    this.phase = 'save';
    this.saveState = { len: 0, quietSince: this.m.cycles() };
  }

  // The name downloads get: what the user typed, else the recorded program's (its first REM),
  // else the inserted file's, without extension.
  get downloadName() {
    return (this.customName && fileStem(this.customName)) ||
      this.recorded?.name || baseName(this.file?.name ?? 'tape');
  }

  set downloadName(text) {
    this.customName = text;
  }

  downloadWav() {
    try {
      download(this.m.tape_wav(), `${this.downloadName}.wav`, 'audio/wav');
    } catch (error) {
      this.say(error.message, 'error');
    }
  }

  downloadListing() {
    download(this.m.tape_listing(), `${this.downloadName}.bas`, 'text/plain');
  }

  // ---- per frame ----

  get state() {
    return this.m.tape_state();
  }

  wantsMaxSpeed() {
    const state = this.m.tape_state();
    // Turbo covers recording too: the ACIA then sends each byte the instant the ROM writes it.
    return this.turbo &&
      (state === 'playing' || state === 'recording' || this.phase === 'load' || this.phase === 'save');
  }

  isRunning() {
    return this.m.tape_state() !== 'stopped' || this.phase !== 'idle';
  }

  // Called after every run: the choreography, the sound.
  service() {
    const m = this.m;
    if (this.phase === 'load') {
      const len = m.tape_len();
      if (len > 0 && m.tape_position() >= len) {
        this.phase = 'idle';
        // SPACE ends the load (docs/hardware.md §5), then RUN (or LIST, or nothing).
        this.typeText(` \r${this.afterLoad}`);
        const then = this.afterLoad.split('\r')[0];
        this.say(`${this.file?.name ?? 'Tape'} loaded${then ? `; ${then}` : ''}.`);
        this.changed();
      }
    } else if (this.phase === 'save' && !m.typing_pending()) {
      const len = m.tape_len();
      if (len !== this.saveState.len) {
        this.saveState = { len, quietSince: m.cycles() };
      } else if (len > 0 && m.cycles() - this.saveState.quietSince > SAVE_QUIET_S * this.clockHz) {
        this.finishRecording();
        m.poke(0x0205, 0);
      }
    }
    if (this.audio.running) {
      const samples = m.drain_tape_audio();
      if (samples.length) this.audio.push(samples);
    }
  }

  // One line for a status bar: what the deck is doing.
  statusText() {
    const m = this.m;
    const state = m.tape_state();
    if (state === 'stopped') return this.file ? `Tape: ${this.file.name}` : '';
    const turbo = this.turbo && state === 'playing' ? ' (turbo)' : '';
    return `Tape ${state} ${m.tape_position().toLocaleString()}/${m.tape_len().toLocaleString()}${turbo}`;
  }
}

function plural(count, word) {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}
