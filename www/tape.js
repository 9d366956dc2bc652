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
import { LineIn, LineOut } from './line-in.js';
import { LiveTapeDecoder } from './pkg/superboard.js';

const TAPE_EXTENSIONS = ['.bas', '.txt', '.wav', '.flac', '.ogg', '.oga', '.mp3', '.65v', '.lod'];
// Audio the core does not read itself: the browser's own decoder (decodeAudioData) makes PCM.
const BROWSER_AUDIO = /\.(flac|ogg|oga|mp3)$/i;
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
    this.lineIn = new LineIn();
    this.lineIn.onchunk = (samples) => this.liveChunk(samples);
    // While recording from line-in: the live decoder and what it found (see startLineIn).
    this.live = null;
    this.lineOut = new LineOut();
    this.loadFrom = 0; // head position when LOAD & RUN began
    this.audio.ready.then(() => this.m && this.updateAudioRate());
  }

  // A new machine (start-up, power cycle, ROM change): same tape, settings carried over.
  attach(machine) {
    this.m = machine;
    this.m.set_tape_auto_play(true);
    this.m.set_turbo_tape(this.turbo);
    this.phase = 'idle';
    if (this.live && !this.live.failed) {
      // A power cycle during line-in: the new machine gets a fresh growing tape; the bytes
      // from now on go onto it.
      this.m.insert_live_tape('line-in');
    } else if (this.file) {
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
    try {
      this.m.set_tape_audio_rate(this.turbo ? 0 : this.audio.sampleRate);
    } catch (error) {
      // A sound card at a rate the deck does not synthesise: the tape stays silent.
      console.warn(error.message);
      this.m.set_tape_audio_rate(0);
    }
  }

  // Audio in any format the browser decodes (FLAC, Ogg, MP3, and WAV layouts the core's reader
  // refuses): decoded to mono PCM here, then to a tape by the core.
  async insertAudio(bytes, name) {
    let samples;
    let sampleRate;
    try {
      const context = new OfflineAudioContext(1, 1, 44_100);
      const buffer = await context.decodeAudioData(bytes.slice().buffer);
      sampleRate = buffer.sampleRate;
      samples = new Float32Array(buffer.length);
      for (let c = 0; c < buffer.numberOfChannels; c++) {
        const channel = buffer.getChannelData(c);
        for (let i = 0; i < channel.length; i++) samples[i] += channel[i] / buffer.numberOfChannels;
      }
    } catch (error) {
      const message = `${name}: not audio this browser can decode (${error.message || error})`;
      this.report(message, 'error');
      this.say(`Tape not loaded: ${message}`, 'error');
      throw new Error(message);
    }
    return this.insertSamples(samples, sampleRate, name, bytes);
  }

  insertSamples(samples, sampleRate, name, fileBytes = null) {
    return this.insert(fileBytes ?? new Uint8Array(0), name, () => this.m.insert_tape_audio(name, samples, sampleRate));
  }

  // Insert a tape; returns what is on it, throws with a readable message if it cannot be read.
  insert(bytes, name, make = null) {
    this.defaultMake = null;
    if (!make) {
      make = () => this.m.insert_tape(name, bytes);
      this.defaultMake = make;
    }
    let info;
    try {
      info = make();
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
    // Audio the browser decoded is kept as the tape's bytes (re-laid at 300 baud after a
    // power cycle); files the core reads are kept as they are.
    const decodedHere = BROWSER_AUDIO.test(name) || bytes.length === 0 || make !== this.defaultMake;
    this.file = decodedHere ? { name: `${baseName(name)}.tape`, bytes: this.m.tape_bytes() } : { name, bytes };
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

  // Inserts a file, reporting any failure in the panel and the status line instead of throwing.
  // Resolves to what is on the tape (the `tapeloaded` detail), or null if it could not be read.
  async insertQuietly(bytes, name) {
    if (BROWSER_AUDIO.test(name)) return this.insertAudio(bytes, name).catch(() => null);
    try {
      return this.insert(bytes, name);
    } catch (error) {
      // A WAV the core's reader refuses may still be audio the browser decodes.
      if (/\.wav$/i.test(name)) return this.insertAudio(bytes, name).catch(() => null);
      return null; // already reported in the panel and the status line
    }
  }

  // The recordings on the tape: [{ name, start, bytes, startS }].
  recordings() {
    return this.m.tape_recordings().map((r) => {
      const item = { name: r.name, start: r.start, bytes: r.bytes, startS: r.start_s };
      r.free();
      return item;
    });
  }

  // Winds the tape to recording `index` (0-based).
  wind(index) {
    this.m.wind_tape(index);
    this.phase = 'idle';
    this.readTape();
    this.changed();
  }

  // ---- line-in and line-out ----

  // Records from line-in and decodes it as it comes: the bytes go onto a growing tape in the
  // deck, which plays by itself into a machine that is in LOAD.
  async startLineIn() {
    try {
      await this.lineIn.start();
      this.live = {
        decoder: new LiveTapeDecoder(this.lineIn.context.sampleRate, 0),
        bytes: 0,
        lines: 0,
        text: '', // the line being received (or the last one, right after its CR)
        done: false, // the last byte was a CR: the next character starts a new line
        failed: null, // why the bytes no longer go onto the tape (another tape went in)
      };
    } catch (error) {
      if (this.lineIn.recording) this.lineIn.stop();
      this.report(`Line-in: ${error.message || error}`, 'error');
      return false;
    }
    this.m.insert_live_tape('line-in');
    this.file = null;
    this.recorded = null;
    this.customName = null;
    this.readTape();
    this.report('Recording from line-in, decoded as it comes: type LOAD here (or press LOAD & RUN ' +
      'when it is done), start SAVE and LIST on the real Superboard, and press "Stop line-in" when ' +
      'it has finished.');
    this.changed();
    return true;
  }

  // One chunk of line-in samples (about 50 ms): decoded, and the new bytes onto the tape.
  liveChunk(samples) {
    const live = this.live;
    if (!live || live.failed) return;
    live.decoder.push(samples);
    let bytes;
    try {
      bytes = this.m.feed_live_tape(live.decoder);
    } catch (error) {
      live.failed = error.message || String(error);
      this.report(`Line-in: ${live.failed}; the recording goes on but is no longer loaded.`, 'error');
      return;
    }
    if (!bytes.length) return;
    live.bytes += bytes.length;
    let text = live.text;
    for (const byte of bytes) {
      if (byte === 13) {
        live.lines++;
        live.done = true;
      } else if (byte >= 32 && byte < 127) {
        // The next character after a CR starts a new line; NULs and LFs are padding.
        if (live.done) text = '';
        live.done = false;
        text += String.fromCharCode(byte);
      }
    }
    live.text = text.slice(-200);
  }

  // What the live decoder has found, for the panel: { bytes, lines, text, baud, errors, failed }.
  liveStatus() {
    const live = this.live;
    if (!live) return null;
    return {
      bytes: live.bytes,
      lines: live.lines,
      text: live.text,
      baud: live.decoder.baud(),
      errors: live.decoder.errors(),
      failed: live.failed,
    };
  }

  // Stops line-in: the tape decoded live becomes an ordinary recording (no second decode).
  // Only when the live decoder found nothing is the whole recording decoded again, with the
  // robust demodulator for noisy audio.
  stopLineIn() {
    const { samples, sampleRate } = this.lineIn.stop();
    const live = this.live;
    this.live = null;
    this.changed();
    if (!live) return null;
    try {
      if (live.failed) return null;
      try {
        return this.insert(new Uint8Array(0), 'line-in', () => this.m.finish_live_tape(live.decoder));
      } catch {
        // Nothing found live (the empty tape is out): the robust decoder may do better.
        if (!samples.length || this.m.tape_info()) return null;
        return this.insertSamples(samples, sampleRate, 'line-in');
      }
    } catch {
      return null; // reported
    } finally {
      live.decoder.free();
    }
  }

  async playLineOut() {
    try {
      await this.lineOut.play(this.m.tape_wav());
      this.say('Playing the tape to line-out at 300 baud: type LOAD on the real Superboard.');
    } catch (error) {
      this.say(`Line-out: ${error.message || error}`, 'error');
    }
    this.changed();
  }

  stopLineOut() {
    this.lineOut.stop();
    this.changed();
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
    // A tape of several programs loads the one the tape is wound to.
    if (this.m.tape_recordings().length > 1) this.m.wind_tape(this.m.tape_recording());
    else this.m.rewind_tape();
    this.loadFrom = this.m.tape_position();
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

  // A SAVE goes after the recordings on the inserted tape (the deck appends it); with no tape
  // in the deck it starts a new one.
  startRecording() {
    this.m.record_tape();
    this.tapeBytes = new Uint8Array(0);
    this.tapeTimes = new Float64Array(0);
    this.report(this.turbo
      ? 'Recording in turbo: BASIC\'s SAVE and LIST go to tape as fast as it lists; the deck stops by itself.'
      : 'Recording at 300 baud (as slow as the real machine); the deck stops by itself after the listing.');
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
    const count = this.m.tape_recordings().length;
    this.recorded = { name: programName(listing, 'program') };
    this.customName = null;
    this.report(`Recorded ${this.tapeBytes.length.toLocaleString()} bytes: ${lines} program line${lines === 1 ? '' : 's'}. ` +
      `${count > 1 ? `It is recording ${count} on this tape. ` : ''}Download it, or LOAD it back.`, 'ok');
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
    // A tape growing from line-in arrives in real time: running ahead of it gains nothing.
    return this.turbo && !this.live &&
      (state === 'playing' || state === 'recording' || this.phase === 'load' || this.phase === 'save');
  }

  isRunning() {
    return this.m.tape_state() !== 'stopped' || this.phase !== 'idle';
  }

  // Called after every run: the choreography, the sound.
  service() {
    const m = this.m;
    if (this.phase === 'load') {
      // The deck stops by itself at the end of the recording.
      if (m.tape_state() === 'stopped' && m.tape_position() > this.loadFrom) {
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
