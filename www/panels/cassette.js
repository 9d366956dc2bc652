// The Cassette card: the front panel of one element's tape deck (www/tape.js). It draws the
// deck's state (label, reels, counter, progress, waveform, report) and sends the buttons to it.
//
// attachCassette(element, root): `root` holds the card's controls (see index.html).

const KCS_BAUD = 300;
const FRAME_BITS = 11; // start bit, 8 data bits, 2 stop bits
const MARK_HZ = 2400;
const SPACE_HZ = 1200;
const WAVEFORM_WINDOW_S = 0.02; // tape time shown across the waveform view

export function attachCassette(element, root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const deck = () => element.deck;
  let wasRunning = false;

  $('tape-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (file) deck().insertQuietly(new Uint8Array(await file.arrayBuffer()), file.name);
  });
  $('tape-play').addEventListener('click', () => deck().play());
  $('tape-stop').addEventListener('click', () => deck().stop());
  $('tape-rewind').addEventListener('click', () => deck().rewind());
  $('tape-loadrun').addEventListener('click', () => deck().loadAndRun());
  $('tape-record').addEventListener('click', () => {
    if (deck().state === 'recording') deck().finishRecording();
    else deck().saveProgram();
  });
  $('tape-turbo').addEventListener('change', (e) => deck().setTurbo(e.target.checked));
  $('tape-mute').addEventListener('change', (e) => deck().audio.setMuted(e.target.checked));
  $('tape-volume').addEventListener('input', (e) => deck().audio.setVolume(Number(e.target.value)));
  $('tape-recordings').addEventListener('change', (e) => deck().wind(Number(e.target.value)));
  $('line-in').addEventListener('click', async () => {
    if (deck().lineIn.recording) deck().stopLineIn();
    else await deck().startLineIn();
    refresh();
  });
  $('line-out').addEventListener('click', () => {
    if (deck().lineOut.playing) deck().stopLineOut();
    else deck().playLineOut();
  });
  $('line-out-level').addEventListener('input', (e) => deck().lineOut.setLevel(Number(e.target.value)));
  $('tape-download-name').addEventListener('input', (e) => { deck().downloadName = e.target.value; });
  $('tape-download-wav').addEventListener('click', () => deck().downloadWav());
  $('tape-download-bas').addEventListener('click', () => deck().downloadListing());
  deck().audio.setVolume(Number($('tape-volume').value));

  function report({ text, kind }) {
    const el = $('tape-report');
    el.textContent = text;
    el.dataset.kind = kind;
  }

  function refresh() {
    const d = deck();
    const m = d.m;
    const state = m.tape_state();
    const info = m.tape_info();
    const hasTape = Boolean(info);
    $('tape-name').textContent = state === 'recording' ? '● recording…' : info ? info.name : 'no tape';
    info?.free();
    $('tape-play').disabled = !hasTape || state !== 'stopped';
    $('tape-stop').disabled = state === 'stopped' && d.phase === 'idle';
    $('tape-rewind').disabled = !hasTape;
    // Any tape can be downloaded: a WAV a real Superboard loads, or the listing as text.
    $('tape-downloads').hidden = !hasTape || state === 'recording';
    const recordings = hasTape ? d.recordings() : [];
    $('tape-recordings-row').hidden = recordings.length < 2;
    const select = $('tape-recordings');
    select.replaceChildren(...recordings.map((r, i) => new Option(
      `${i + 1}. ${r.name} (${r.bytes.toLocaleString()} bytes, at ${Math.floor(r.startS / 60)}:${String(Math.floor(r.startS % 60)).padStart(2, '0')})`, String(i))));
    if (recordings.length) select.value = String(m.tape_recording());
    const listening = d.lineIn.recording;
    $('line-in').textContent = listening ? '■ Stop line-in' : '🎙 Record from line-in';
    $('line-in-level').hidden = !listening;
    $('line-in-live').hidden = !listening;
    $('line-out').disabled = !hasTape || listening;
    $('line-out').textContent = d.lineOut.playing ? '■ Stop line-out' : '🔊 Play to line-out';
    const name = $('tape-download-name');
    if (document.activeElement !== name && !d.customName) name.value = d.downloadName;
    $('tape-loadrun').disabled = !d.file || d.phase !== 'idle';
    $('tape-record').textContent = state === 'recording' ? '■ Stop recording' : '● SAVE to tape';
    $('tape-turbo').checked = d.turbo;
    $('tape-mute').checked = d.audio.muted;
    $('cassette').classList.toggle('recording', state === 'recording');
    moving();
  }

  // Counter, progress and waveform: every frame while the tape runs, once more when it stops.
  function moving() {
    const d = deck();
    const m = d.m;
    const state = m.tape_state();
    const seconds = m.tape_position_s();
    $('tape-counter').textContent = String(Math.floor(seconds)).padStart(3, '0');
    $('tape-progress').value = m.tape_progress();
    const running = state !== 'stopped';
    $('cassette').classList.toggle('running', running);
    drawWaveform($('waveform'), d, seconds, state);
    if (running !== wasRunning) {
      wasRunning = running;
      refresh();
    }
  }

  // What the live decoder has received: counts and the line coming in.
  let shownLive = '';
  function showLive(status) {
    if (!status) return;
    const speed = status.baud ? `, ${status.baud} baud` : status.bytes ? '' : ', listening for a tape signal';
    const damaged = status.errors ? `, ${status.errors.toLocaleString()} damaged` : '';
    const count = `${status.bytes.toLocaleString()} bytes, ${status.lines.toLocaleString()} ` +
      `line${status.lines === 1 ? '' : 's'}${speed}${damaged}`;
    const key = `${count}\n${status.text}`;
    if (key === shownLive) return;
    shownLive = key;
    $('line-in-count').textContent = count;
    $('line-in-text').textContent = status.text;
  }

  element.addEventListener('tapechange', refresh);
  element.addEventListener('tapereport', (e) => report(e.detail));
  element.addEventListener('machinechange', refresh);
  element.onFrame(() => {
    if (wasRunning || deck().state !== 'stopped') moving();
    const d = deck();
    if (d.lineIn.recording) {
      $('line-in-level').value = d.lineIn.peak;
      $('tape-counter').textContent = String(Math.floor(d.lineIn.seconds)).padStart(3, '0');
      drawLive($('waveform'), d.lineIn.recent);
      showLive(d.liveStatus());
    } else if (d.lineOut.playing) {
      $('tape-progress').value = d.lineOut.progress;
    }
  });
  deck().lineOut.onended = refresh;
  report(deck().lastReport.text ? deck().lastReport : { text: $('tape-report').textContent, kind: 'info' });
  refresh();
}

// The KCS signal around the head: each character a start bit (1200 Hz), 8 data bits
// (2400 Hz for 1, 1200 Hz for 0), 2 stop bits (2400 Hz); carrier (2400 Hz) between them.
function drawWaveform(canvas, deck, headS, state) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.fillStyle = '#0c0d0f';
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = '#2a3a2a';
  ctx.beginPath();
  ctx.moveTo(width / 2, 0);
  ctx.lineTo(width / 2, height);
  ctx.stroke();
  const times = deck.tapeTimes;
  const bytes = deck.tapeBytes;
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

// The live line-in signal, as it arrives.
function drawLive(canvas, samples) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.fillStyle = '#0c0d0f';
  ctx.fillRect(0, 0, width, height);
  if (!samples.length) return;
  ctx.strokeStyle = '#dc7f7f';
  ctx.beginPath();
  const shown = Math.min(samples.length, width * 4);
  for (let x = 0; x < width; x++) {
    const y = samples[Math.floor((x / width) * shown)];
    const py = height / 2 - y * (height / 2 - 4);
    if (x === 0) ctx.moveTo(x, py);
    else ctx.lineTo(x, py);
  }
  ctx.stroke();
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
