// Export: the screen as a PNG picture (the picture alone, or inside the monitor's bezel), as
// Unicode text (graphics characters mapped by the core's table, docs/display.md), and as a
// short WebM recording (MediaRecorder on a canvas stream). Everything is drawn from the
// Display (www/display.js), so exports carry the phosphor colour and CRT look on screen.

// Canvas pixels per emulated pixel in exported pictures and recordings: 3 rows, and 3 or 4
// columns (square or 4:3 TV pixels), so the TV window exports at 576 × 576 or 768 × 576.
export const EXPORT_PIXELS_Y = 3;
export function exportPixelsX(tvAspect) {
  return tvAspect ? 4 : 3;
}

const BEZEL = { border: 44, tube: 26, foot: 38, radius: 34, tubeRadius: 26 };
export const RECORDING_MAX_S = 60;
const RECORDING_FPS = 30;

// A canvas 2D picture of the screen: `display.picture` enlarged, inside the bezel if asked.
export function screenPicture(display, { tvAspect = true, bezel = false } = {}) {
  const picture = display.picture(exportPixelsX(tvAspect), EXPORT_PIXELS_Y);
  if (!bezel) return picture;
  const inset = BEZEL.border + BEZEL.tube;
  const width = picture.width + 2 * inset;
  const height = picture.height + 2 * inset + BEZEL.foot;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const case_ = context.createLinearGradient(0, 0, width * 0.4, height);
  case_.addColorStop(0, '#4a4640');
  case_.addColorStop(0.6, '#2f2c28');
  case_.addColorStop(1, '#25221f');
  context.fillStyle = case_;
  roundedRect(context, 0, 0, width, height, BEZEL.radius);
  context.fill();
  context.fillStyle = '#161412';
  roundedRect(context, BEZEL.border - 3, BEZEL.border - 3, width - 2 * BEZEL.border + 6, height - 2 * BEZEL.border - BEZEL.foot + 6, BEZEL.tubeRadius + 3);
  context.fill();
  context.fillStyle = '#000';
  roundedRect(context, BEZEL.border, BEZEL.border, width - 2 * BEZEL.border, height - 2 * BEZEL.border - BEZEL.foot, BEZEL.tubeRadius);
  context.fill();
  context.drawImage(picture, inset, inset);
  const footY = height - BEZEL.border / 2 - BEZEL.foot / 2;
  context.fillStyle = '#e33';
  context.beginPath();
  context.arc(width / 2 - 86, footY, 5, 0, 2 * Math.PI);
  context.fill();
  context.fillStyle = '#8d867b';
  context.font = '15px system-ui, sans-serif';
  context.textBaseline = 'middle';
  context.fillText('V I D E O   M O N I T O R', width / 2 - 70, footY);
  return canvas;
}

function roundedRect(context, x, y, width, height, radius) {
  context.beginPath();
  context.moveTo(x + radius, y);
  context.arcTo(x + width, y, x + width, y + height, radius);
  context.arcTo(x + width, y + height, x, y + height, radius);
  context.arcTo(x, y + height, x, y, radius);
  context.arcTo(x, y, x + width, y, radius);
  context.closePath();
}

// A PNG Blob of a canvas (OffscreenCanvas or <canvas>).
export function pngBlob(canvas) {
  if (typeof canvas.convertToBlob === 'function') return canvas.convertToBlob({ type: 'image/png' });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not make a PNG'))), 'image/png'),
  );
}

// A file name for an export made now: superboard-2026-12-05-0712.png.
export function exportName(extension, now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `superboard-${stamp}.${extension}`;
}

// The view's cells of the core's 32-line Unicode screen, trailing blanks removed.
export function cropText(fullText, view) {
  const { row, column, rows, columns } = view;
  return fullText
    .split('\n')
    .slice(row, row + rows)
    .map((line) => [...line].slice(column, column + columns).join('').trimEnd())
    .join('\n');
}

// Puts `text` on the clipboard; falls back to a selected textarea where the async clipboard is
// missing or refused (plain http, older browsers).
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through to the selection copy
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the browser refused to copy to the clipboard');
}

// The best WebM type this browser records, or null if it records none.
export function recordingType() {
  if (typeof MediaRecorder !== 'function') return null;
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

// A WebM recording of the screen: each `frame()` copies the display onto the recording canvas
// (enlarged by whole pixels), which streams at RECORDING_FPS into a MediaRecorder. Stops by
// itself after RECORDING_MAX_S; `stop()` resolves to the WebM Blob.
export class Recording {
  constructor(display, { tvAspect = true, onStop = () => {} } = {}) {
    const type = recordingType();
    if (!type || typeof HTMLCanvasElement.prototype.captureStream !== 'function') {
      throw new Error('this browser cannot record video (no MediaRecorder for WebM)');
    }
    this.display = display;
    this.canvas = document.createElement('canvas');
    this.canvas.width = display.width * exportPixelsX(tvAspect);
    this.canvas.height = display.height * EXPORT_PIXELS_Y;
    this.context = this.canvas.getContext('2d', { alpha: false });
    this.frame();
    this.chunks = [];
    this.recorder = new MediaRecorder(this.canvas.captureStream(RECORDING_FPS), { mimeType: type, videoBitsPerSecond: 2_500_000 });
    this.recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    });
    this.stopped = new Promise((resolve) => {
      this.recorder.addEventListener('stop', () => {
        clearTimeout(this.timer);
        const blob = new Blob(this.chunks, { type: 'video/webm' });
        onStop(blob);
        resolve(blob);
      });
    });
    this.startedMs = performance.now();
    this.recorder.start(1000);
    this.timer = setTimeout(() => this.stop(), RECORDING_MAX_S * 1000);
  }

  get seconds() {
    return (performance.now() - this.startedMs) / 1000;
  }

  // Copies the picture on screen onto the recording canvas (call once per animation frame).
  frame() {
    const source = this.display.canvas;
    // Whole-pixel enlargement of the plain picture; the CRT picture is resampled smoothly.
    this.context.imageSmoothingEnabled = source.width > this.display.width;
    this.context.drawImage(source, 0, 0, this.canvas.width, this.canvas.height);
  }

  stop() {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    return this.stopped;
  }
}
