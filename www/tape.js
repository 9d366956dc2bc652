// Cassette deck panel: insert a tape file, PLAY/STOP/REWIND, LOAD & RUN, RECORD a SAVE and
// download it (WAV for a real machine, .bas listing), counter, progress, waveform and sound.
//
// The deck itself (tape timing, turbo, auto-play, recording, WAV encoding/decoding) is the core's
// TapeDeck behind the facade; this module is its front panel and the LOAD & RUN / SAVE
// choreography, which only types what a person would type.

import { TapeAudio } from './audio.js';

const TAPE_EXTENSIONS = ['.bas', '.txt', '.wav', '.65v', '.lod'];
const KCS_BAUD = 300;
const FRAME_BITS = 11; // start bit, 8 data bits, 2 stop bits
const MARK_HZ = 2400;
const SPACE_HZ = 1200;
const WAVEFORM_WINDOW_S = 0.02; // tape time shown across the waveform view
// Emulated time without a new byte after which a SAVE is taken to be finished.
const SAVE_QUIET_S = 1.5;

export function isTapeFile(name) {
  const lower = name.toLowerCase();
  return TAPE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

const $ = (id) => document.getElementById(id);

function download(bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function baseName(name) {
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
function fileStem(text, fallback) {
  const stem = text.trim().replace(/\.(wav|bas|txt)$/i, '').replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-');
  return stem || fallback;
}

export class TapeDeck {
  // `say(text, kind)` shows a status message; `typeText(text)` types through the typist;
  // `clockHz` is the CPU clock.
  constructor({ say, typeText, clockHz }) {
    this.say = say;
    this.typeText = typeText;
    this.clockHz = clockHz;
    this.m = null;
    this.file = null; // { name, bytes } of the inserted file, re-inserted after a power cycle
    this.tapeBytes = new Uint8Array(0);
    this.tapeTimes = new Float64Array(0);
    this.phase = 'idle'; // LOAD & RUN / SAVE choreography: idle, load, save
    this.saveState = null;
    this.recorded = null; // { name } of the last recording, for the downloads
    this.audio = new TapeAudio();
    this.wire();
  }

  wire() {
    $('tape-file').addEventListener('change', async (e) => {
      const file = e.target.files[0];
      e.target.value = '';
      if (file) this.insertQuietly(new Uint8Array(await file.arrayBuffer()), file.name);
    });
    $('tape-play').addEventListener('click', () => this.play());
    $('tape-stop').addEventListener('click', () => this.stop());
    $('tape-rewind').addEventListener('click', () => this.rewind());
    $('tape-loadrun').addEventListener('click', () => this.loadAndRun());
    $('tape-record').addEventListener('click', () => {
      if (this.m.tape_state() === 'recording') this.finishRecording();
      else this.saveProgram();
    });
    $('tape-turbo').addEventListener('change', (e) => {
      this.m.set_turbo_tape(e.target.checked);
      this.updateAudioRate();
      e.target.blur();
    });
    $('tape-mute').addEventListener('change', (e) => { this.audio.setMuted(e.target.checked); e.target.blur(); });
    $('tape-volume').addEventListener('input', (e) => this.audio.setVolume(Number(e.target.value)));
    $('tape-download-wav').addEventListener('click', () => this.downloadWav());
    $('tape-download-bas').addEventListener('click', () => this.downloadListing());
    this.audio.setVolume(Number($('tape-volume').value));
    // Browsers start audio suspended until a user gesture (toolchain.md pitfall 5).
    const resume = () => this.audio.resume();
    window.addEventListener('pointerdown', resume, true);
    window.addEventListener('keydown', resume, true);
  }

  // A new machine (start-up, power cycle, ROM change): same tape, settings carried over.
  attach(machine) {
    this.m = machine;
    this.m.set_tape_auto_play(true);
    this.m.set_turbo_tape($('tape-turbo').checked);
    this.phase = 'idle';
    if (this.file) {
      try {
        this.m.insert_tape(this.file.name, this.file.bytes).free();
      } catch {
        this.file = null;
      }
    }
    this.updateAudioRate();
    this.refresh();
  }

  updateAudioRate() {
    // Sound only makes sense at real speed; turbo tapes are silent.
    this.m.set_tape_audio_rate($('tape-turbo').checked ? 0 : this.audio.sampleRate);
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
    this.readTape();
    this.setDownloadName(baseName(name));
    const duration = detail.durationS >= 60
      ? `${Math.floor(detail.durationS / 60)} min ${Math.round(detail.durationS % 60)} s`
      : `${detail.durationS.toFixed(1)} s`;
    this.report(
      `${name}: ${bytes.length.toLocaleString()} bytes → ${detail.kind}, ${detail.bytes.toLocaleString()} ` +
        `characters, ${duration} of tape at 300 baud.${detail.report ? ` Decoded: ${detail.report}` : ''}` +
        (detail.warningCount
          ? `\n${detail.warningCount} warning${detail.warningCount === 1 ? '' : 's'} (the tape loads as the machine reads it):\n${detail.warnings}`
          : ''),
      detail.warningCount ? 'warning' : 'ok',
    );
    this.say(detail.warningCount
      ? `Tape inserted: ${name}, with ${detail.warningCount} warning${detail.warningCount === 1 ? '' : 's'} (see the cassette panel). Press LOAD & RUN, or type LOAD.`
      : `Tape inserted: ${name}. Press LOAD & RUN, or type LOAD.`, detail.warningCount ? 'warning' : undefined);
    this.refresh();
    window.dispatchEvent(new CustomEvent('superboard:tapeloaded', { detail }));
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
    const el = $('tape-report');
    el.textContent = text;
    el.dataset.kind = kind;
  }

  play() {
    if (!this.m.tape_info()) return;
    this.m.play_tape();
    this.refresh();
  }

  stop() {
    if (this.m.tape_state() === 'recording') {
      this.finishRecording();
      return;
    }
    this.m.stop_tape();
    this.phase = 'idle';
    this.refresh();
  }

  rewind() {
    this.m.rewind_tape();
    this.phase = 'idle';
    this.refresh();
  }

  // LOAD & RUN: (from the monitor prompt, cold-start BASIC first), NEW, LOAD; the deck starts
  // by itself when LOAD asks for the cassette; at the end of the tape SPACE ends the load, then
  // RUN.
  loadAndRun() {
    if (!this.file) return;
    this.m.rewind_tape();
    const lines = this.m.screen_text().trimEnd().split('\n');
    const last = lines[lines.length - 1] ?? '';
    const prefix = /C\/W\/M \?/.test(last) ? 'C\r\r' : '';
    if (!this.typeText(`${prefix}NEW\rLOAD\r`)) return;
    this.phase = 'load';
    this.say(`Loading ${this.file.name}…`);
    this.refresh();
  }

  startRecording() {
    this.file = null;
    this.m.eject_tape();
    this.m.record_tape();
    this.tapeBytes = new Uint8Array(0);
    this.tapeTimes = new Float64Array(0);
    this.report('Recording. Type SAVE, then LIST; press Stop when the listing has finished.');
    this.refresh();
  }

  finishRecording() {
    this.phase = 'idle';
    const captured = this.m.stop_tape();
    this.refresh();
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
    this.setDownloadName(this.recorded.name);
    this.report(`Recorded ${this.tapeBytes.length.toLocaleString()} bytes: ${lines} program line${lines === 1 ? '' : 's'}. ` +
      'Download it, or rewind and LOAD it back.', 'ok');
    const detail = { bytes: this.tapeBytes.length, listing };
    window.dispatchEvent(new CustomEvent('superboard:tapesaved', { detail }));
    this.refresh();
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

  // The name the downloads get: the program's or the tape's, editable in the panel.
  setDownloadName(name) {
    $('tape-download-name').value = name;
  }

  downloadName() {
    const fallback = this.recorded?.name ?? baseName(this.file?.name ?? 'tape');
    return fileStem($('tape-download-name').value, fallback);
  }

  downloadWav() {
    try {
      download(this.m.tape_wav(), `${this.downloadName()}.wav`, 'audio/wav');
    } catch (error) {
      this.say(error.message, 'error');
    }
  }

  downloadListing() {
    download(this.m.tape_listing(), `${this.downloadName()}.bas`, 'text/plain');
  }

  // ---- per frame ----

  wantsMaxSpeed() {
    const state = this.m.tape_state();
    // Turbo covers recording too: the ACIA then sends each byte the instant the ROM writes it.
    return $('tape-turbo').checked &&
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
        // SPACE ends the load (hardware.md §5), then RUN.
        this.typeText(' \rRUN\r');
        this.say(`${this.file?.name ?? 'Tape'} loaded; RUN.`);
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

  // ---- display ----

  // Once per animation frame: keep the counter and waveform moving while the tape runs.
  present() {
    if (this.m.tape_state() !== 'stopped' || this.wasRunning) this.updateStatus();
  }

  refresh() {
    const m = this.m;
    const state = m.tape_state();
    const info = m.tape_info();
    const hasTape = Boolean(info);
    $('tape-name').textContent = state === 'recording' ? '● recording…' : info ? info.name : 'no tape';
    info?.free();
    $('tape-play').disabled = !hasTape || state !== 'stopped';
    $('tape-stop').disabled = state === 'stopped' && this.phase === 'idle';
    $('tape-rewind').disabled = !hasTape;
    // Any tape can be downloaded: a WAV a real Superboard loads, or the listing as text.
    $('tape-downloads').hidden = !hasTape || state === 'recording';
    $('tape-loadrun').disabled = !this.file || this.phase !== 'idle';
    $('tape-record').textContent = state === 'recording' ? '■ Stop recording' : '● SAVE to tape';
    $('cassette').classList.toggle('running', state !== 'stopped');
    $('cassette').classList.toggle('recording', state === 'recording');
    this.updateStatus();
  }

  updateStatus() {
    const m = this.m;
    if (!m) return;
    const state = m.tape_state();
    const seconds = m.tape_position_s();
    $('tape-counter').textContent = String(Math.floor(seconds)).padStart(3, '0');
    $('tape-progress').value = m.tape_progress();
    const running = state !== 'stopped';
    $('cassette').classList.toggle('running', running);
    if (running !== this.wasRunning) {
      this.wasRunning = running;
      this.refresh();
    }
    $('status-tape').textContent = state === 'stopped'
      ? (this.file ? `Tape: ${this.file.name}` : '')
      : `Tape ${state} ${m.tape_position().toLocaleString()}/${m.tape_len().toLocaleString()}${$('tape-turbo').checked && state === 'playing' ? ' (turbo)' : ''}`;
    this.drawWaveform(seconds, state);
  }

  // The KCS signal around the head: each character a start bit (1200 Hz), 8 data bits
  // (2400 Hz for 1, 1200 Hz for 0), 2 stop bits (2400 Hz); carrier (2400 Hz) between them.
  drawWaveform(headS, state) {
    const canvas = $('waveform');
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    ctx.fillStyle = '#0c0d0f';
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = '#2a3a2a';
    ctx.beginPath();
    ctx.moveTo(width / 2, 0);
    ctx.lineTo(width / 2, height);
    ctx.stroke();
    const times = this.tapeTimes;
    const bytes = this.tapeBytes;
    if (!bytes.length || state === 'recording') return;
    const frameS = FRAME_BITS / KCS_BAUD;
    const start = headS - WAVEFORM_WINDOW_S / 2;
    let index = lowerBound(times, start);
    ctx.strokeStyle = state === 'playing' ? '#7fdc7f' : '#4f8f4f';
    ctx.beginPath();
    const steps = width * 2;
    for (let step = 0; step <= steps; step++) {
      const t = start + (step / steps) * WAVEFORM_WINDOW_S;
      while (index < times.length && times[index] <= t) index++;
      let mark = true;
      if (index < times.length && t >= times[index] - frameS) {
        const bit = Math.floor((t - (times[index] - frameS)) * KCS_BAUD);
        if (bit === 0) mark = false;
        else if (bit <= 8) mark = ((bytes[index] >> (bit - 1)) & 1) === 1;
      }
      const beforeTape = t < 0 || t > (times[times.length - 1] ?? 0) + 0.5;
      const y = beforeTape ? 0 : Math.sin(2 * Math.PI * (mark ? MARK_HZ : SPACE_HZ) * t);
      const x = (step / steps) * width;
      const py = height / 2 - y * (height / 2 - 4);
      if (step === 0) ctx.moveTo(x, py);
      else ctx.lineTo(x, py);
    }
    ctx.stroke();
  }
}

function lowerBound(array, value) {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (array[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
