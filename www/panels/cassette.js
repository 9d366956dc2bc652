// The Cassette card: the front panel of one element's tape deck (www/tape.js). It draws the
// deck's state (label, reels, counter, progress, waveform, report) and sends the buttons to it,
// and draws the tape shelf (www/tape-shelf.js: the user's tapes kept in IndexedDB).
//
// attachCassette(element, root, { keepTapes }): `root` holds the card's controls (see
// index.html); `keepTapes` false puts nothing new on the shelf (an embedded page hides the
// card). Returns `{ shelf }`: files the page takes (a drop anywhere) go in through
// `shelf.insertFile`, so they are kept too.

import { TapeShelf, SHELF_LIMIT_BYTES, fileNameOf, formatBytes, storedSize } from '../tape-shelf.js';

const KCS_BAUD = 300;
const FRAME_BITS = 11; // start bit, 8 data bits, 2 stop bits
const MARK_HZ = 2400;
const SPACE_HZ = 1200;
const WAVEFORM_WINDOW_S = 0.02; // tape time shown across the waveform view

export function attachCassette(element, root, { keepTapes = true } = {}) {
  const $ = (id) => root.querySelector(`#${id}`);
  const deck = () => element.deck;
  let wasRunning = false;
  const shelf = new TapeShelf(element, { keep: keepTapes });

  $('tape-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (file) shelf.insertFile(new Uint8Array(await file.arrayBuffer()), file.name);
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
    if (deck().lineIn.recording) {
      if (deck().stopLineIn()) shelf.keepDeckTape('line-in');
    } else {
      await deck().startLineIn();
    }
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
  drawShelf(shelf, $);
  return { shelf };
}

// The tape shelf: one item per kept tape (name field, what it is, Insert, Download, Delete, and
// for a tape of several recordings one button per recording to insert it wound there).
function drawShelf(shelf, $) {
  const list = $('tape-shelf-list');
  let drawing = Promise.resolve();

  function message({ text, kind, undo }) {
    const el = $('tape-shelf-message');
    el.hidden = false;
    el.dataset.kind = kind;
    el.textContent = text;
    if (undo) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'tape-shelf-undo';
      button.textContent = 'Undo';
      button.addEventListener('click', () => {
        button.remove();
        undo();
      });
      el.append(' ', button);
    }
  }

  function button(text, className, title, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    b.title = title;
    b.addEventListener('click', action);
    return b;
  }

  function item(entry) {
    const li = document.createElement('li');
    li.className = 'tape-shelf-tape';
    li.dataset.id = String(entry.id);
    if (entry.problem) {
      li.classList.add('damaged');
      const text = document.createElement('span');
      text.className = 'tape-shelf-meta';
      text.textContent = `A damaged entry (${entry.problem}): it cannot be used.`;
      li.append(text, button('Delete', 'tape-shelf-delete', 'Remove the damaged entry', () => shelf.remove(entry.id)));
      return li;
    }
    const inDeck = shelf.inDeck?.id === entry.id;
    li.classList.toggle('in-deck', inDeck);
    const name = document.createElement('input');
    name.type = 'text';
    name.className = 'tape-shelf-name';
    name.value = entry.name;
    name.spellcheck = false;
    name.maxLength = 80;
    name.setAttribute('aria-label', 'Tape name');
    name.title = 'The tape\'s name on the shelf and in its download: edit it to rename the tape';
    const rename = async () => { name.value = (await shelf.rename(entry.id, name.value)) ?? entry.name; };
    name.addEventListener('change', rename);
    name.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') name.blur();
      if (e.key === 'Escape') {
        name.value = entry.name;
        name.blur();
      }
    });
    const meta = document.createElement('span');
    meta.className = 'tape-shelf-meta';
    const added = new Date(entry.addedAt).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
    const count = entry.recordings.length;
    const one = count === 1 && entry.recordings[0].name !== entry.name ? `: ${entry.recordings[0].name}` : '';
    const stored = storedSize(entry);
    const packed = stored < entry.size ? ` (${formatBytes(stored)} on the shelf)` : '';
    meta.textContent = `${entry.kind} · ${formatBytes(entry.size)}${packed} · ${count} recording${count === 1 ? '' : 's'}${one} · ` +
      `added ${added}${inDeck ? ' · in the deck' : ''}`;
    const actions = document.createElement('div');
    actions.className = 'tape-shelf-actions';
    actions.append(
      button('Insert', 'tape-shelf-insert', 'Put this tape in the deck', () => shelf.insert(entry.id)),
      button('Download', 'tape-shelf-download', `Download it as ${fileNameOf(entry)}`, () => shelf.download(entry.id)),
      button('Delete', 'tape-shelf-delete', 'Remove it from the shelf (you can undo)', () => shelf.remove(entry.id)),
    );
    li.append(name, meta, actions);
    if (count > 1) {
      const caption = document.createElement('span');
      caption.className = 'tape-shelf-meta';
      caption.textContent = 'Insert wound to:';
      const recordings = document.createElement('ol');
      recordings.className = 'tape-shelf-recordings';
      recordings.setAttribute('aria-label', 'Insert the tape wound to one of its recordings');
      entry.recordings.forEach((r, index) => {
        const row = document.createElement('li');
        row.append(button(r.name, 'tape-shelf-wind', `Insert the tape wound to recording ${index + 1} (${r.bytes.toLocaleString()} bytes)`,
          () => shelf.insert(entry.id, index)));
        recordings.append(row);
      });
      li.append(caption, recordings);
    }
    return li;
  }

  async function draw() {
    // A name being edited keeps its text and focus: the list is redrawn once it is left.
    if (list.contains(document.activeElement) && document.activeElement.classList.contains('tape-shelf-name')) {
      await new Promise((resolve) => list.addEventListener('focusout', resolve, { once: true }));
      await new Promise((resolve) => setTimeout(resolve)); // after the name's own change handler
    }
    const entries = await shelf.entries();
    const used = entries.reduce((sum, e) => sum + storedSize(e), 0);
    list.replaceChildren(...entries.map(item));
    $('tape-shelf-usage').textContent = entries.length
      ? `(${entries.length} · ${formatBytes(used)} of ${formatBytes(SHELF_LIMIT_BYTES)})` : '';
    const empty = $('tape-shelf-empty');
    empty.hidden = entries.length > 0 && !shelf.unavailable;
    if (shelf.unavailable) {
      empty.textContent = shelf.unavailable;
      empty.dataset.kind = 'warning';
    }
    list.dataset.count = String(entries.length);
  }

  shelf.addEventListener('change', () => { drawing = drawing.then(draw, draw); });
  shelf.addEventListener('message', (e) => message(e.detail));
  drawing = draw();
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
