// KCS throughput of the page's wasm in node, run by hand (not part of `build.sh test`):
//   ./build.sh wasm && cd tests/e2e && node kcs-bench.mjs
// The same work as the native `superboard bench` "kcs" lines, through the wasm facade:
//   decode  a 5,000-byte program recorded at 44.1 kHz 16-bit stereo (WAV parsing, channel and
//           baud detection, demodulation; `insert_tape('…wav')`), in MB of WAV per second;
//   encode  the program to a 44.1 kHz 16-bit mono WAV (`tape_wav()`), MB of WAV per second;
//   live    the line-in decoder (`LiveTapeDecoder.push`) fed the mono recording as f32 in
//           50 ms chunks at 44.1 kHz, MB of f32 samples per second and times real time.
// Best of five runs each. The program is the native benchmark's (xorshift, same seed), so the
// figures compare directly with target/release/superboard bench. PKG=dir measures another build's
// www/pkg (an older checkout's, for a before/after figure; the live line needs LiveTapeDecoder).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness.mjs';

const pkg = process.env.PKG ? path.resolve(process.env.PKG) : path.join(REPO_ROOT, 'www/pkg');
const wasm = await import(path.join(pkg, 'superboard.js'));
wasm.initSync({ module: readFileSync(path.join(pkg, 'superboard_bg.wasm')) });
const { Superboard, LiveTapeDecoder } = wasm;

const PROGRAM_BYTES = 5_000;
const RUNS = 5;
const RATE = 44_100;

// src/cli/kcs.rs bench_lines: xorshift64 13/7/17, byte = bits 24..31.
function benchProgram() {
  let state = 0x9E3779B97F4A7C15n;
  const mask = (1n << 64n) - 1n;
  const out = new Uint8Array(PROGRAM_BYTES);
  for (let i = 0; i < PROGRAM_BYTES; i++) {
    state ^= (state << 13n) & mask;
    state ^= state >> 7n;
    state ^= (state << 17n) & mask;
    out[i] = Number((state >> 24n) & 0xFFn);
  }
  return out;
}

// The mono 16-bit WAV (44-byte header, as hound writes it) as a stereo one, both channels equal.
function stereo(mono) {
  const view = new DataView(mono.buffer, mono.byteOffset, mono.byteLength);
  if (view.getUint16(22, true) !== 1 || view.getUint16(34, true) !== 16 || view.getUint32(36, false) !== 0x64617461) {
    throw new Error('expected a 16-bit mono WAV with a 44-byte header');
  }
  const frames = view.getUint32(40, true) / 2;
  const out = new Uint8Array(44 + frames * 4);
  const o = new DataView(out.buffer);
  out.set(mono.subarray(0, 44));
  o.setUint32(4, 36 + frames * 4, true);
  o.setUint16(22, 2, true);
  o.setUint32(28, RATE * 4, true);
  o.setUint16(32, 4, true);
  o.setUint32(40, frames * 4, true);
  for (let i = 0; i < frames; i++) {
    const s = view.getInt16(44 + i * 2, true);
    o.setInt16(44 + i * 4, s, true);
    o.setInt16(46 + i * 4, s, true);
  }
  return { wav: out, samples: mono16ToF32(view, frames) };
}

function mono16ToF32(view, frames) {
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = view.getInt16(44 + i * 2, true) / 32768;
  return samples;
}

function best(f) {
  let bestMs = Infinity;
  let result;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = f();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  return { ms: bestMs, result };
}

const program = benchProgram();
const m = new Superboard();
m.insert_tape('bench.bin', program).free();
const mono = m.tape_wav();
const { wav, samples } = stereo(mono);

const decode = best(() => {
  const info = m.insert_tape('bench.wav', wav);
  const bytes = info.bytes;
  info.free();
  return bytes;
});
if (decode.result !== PROGRAM_BYTES) throw new Error(`decoded ${decode.result} bytes, not ${PROGRAM_BYTES}`);

m.insert_tape('bench.bin', program).free();
const encode = best(() => m.tape_wav().length);

const chunk = Math.round(RATE * 0.05);
const live = !LiveTapeDecoder ? { result: PROGRAM_BYTES, ms: NaN } : best(() => {
  const decoder = new LiveTapeDecoder(RATE, 0);
  for (let at = 0; at < samples.length; at += chunk) decoder.push(samples.subarray(at, at + chunk));
  const bytes = decoder.bytes();
  decoder.free();
  return bytes;
});
if (live.result < PROGRAM_BYTES) throw new Error(`live decoded ${live.result} bytes, not ${PROGRAM_BYTES}`);

const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1e3)).toFixed(0);
const seconds = samples.length / RATE;
console.log(`wasm kcs decode: ${mbps(wav.length, decode.ms)} MB/s (${(wav.length / 1e6).toFixed(1)} MB stereo 16-bit WAV, ` +
  `${decode.result} bytes, in ${decode.ms.toFixed(1)} ms)`);
console.log(`wasm kcs encode: ${mbps(encode.result, encode.ms)} MB/s (${(encode.result / 1e6).toFixed(1)} MB mono 16-bit WAV ` +
  `in ${encode.ms.toFixed(1)} ms)`);
console.log(`wasm kcs live decode: ${mbps(samples.length * 4, live.ms)} MB/s of f32 samples (${seconds.toFixed(0)} s of ` +
  `44.1 kHz audio in ${live.ms.toFixed(1)} ms, ${Math.round((seconds * 1e3) / live.ms)}× real time)`);
m.free();
