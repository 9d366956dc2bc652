// Display: how the picture looks. Takes the core's white-on-black framebuffer, colours it with a
// phosphor and, when asked, gives it a CRT look — and draws the same picture for export.
//
// Plain (the default and the fallback): the canvas holds exactly the view's pixels and CSS
// enlarges it by whole pixels (image-rendering: pixelated). Colouring costs one pass over the
// view's pixels, and only on frames where video RAM changed.
//
// CRT look: the canvas holds device pixels (its CSS size × devicePixelRatio, a whole number of
// device pixels per emulated pixel) and each picture is composed with the canvas 2D API, which
// browsers run on the GPU:
//   persistence  the last picture fades (× PERSISTENCE per frame) under the new one ('lighten'
//                keeps the brighter of the two), so moving things leave a short trail;
//   glow         the view's pixels drawn again enlarged with smoothing, added ('lighter') at
//                GLOW_ALPHA: a halo of about one emulated pixel around lit pixels;
//   scanlines    every emulated pixel row's last device row darkened to SCANLINE_LEVEL
//                ('multiply'), when a row is at least SCANLINE_MIN_ROWS device rows tall.
// The sharp picture stays underneath, so text is as crisp as in the plain look. Nothing is
// drawn on frames where nothing changed and no trail is fading.

export const PHOSPHORS = {
  white: { label: 'White', rgb: [0xff, 0xff, 0xff] },
  green: { label: 'Green (P1)', rgb: [0x41, 0xff, 0x6e] },
  amber: { label: 'Amber (P3)', rgb: [0xff, 0xb0, 0x1c] },
};

const PERSISTENCE = 0.35; // share of the last frame's light left after one 60 Hz frame
const FADE_FRAMES = 4; // frames after a change until the trail is gone (0.35^4 < 2 %)
const GLOW_ALPHA = 0.28;
const SCANLINE_LEVEL = 0.55; // the dimmed row's light, with 3 or more device rows per pixel
const SCANLINE_LEVEL_2 = 0.72; // with 2 rows a gentler step, so the picture keeps its light
const SCANLINE_MIN_ROWS = 2;
const MAX_DEVICE_PX_PER_PIXEL = 8; // caps the canvas at 2048 device pixels for the full view

// `[r, g, b]` of a phosphor name; throws on an unknown one with the names that exist.
export function phosphorColour(name) {
  const phosphor = PHOSPHORS[String(name).toLowerCase()];
  if (!phosphor) throw new Error(`unknown phosphor "${name}" (use ${Object.keys(PHOSPHORS).join(', ')})`);
  return phosphor.rgb;
}

// A canvas: an OffscreenCanvas where there is one (no DOM needed), else a detached <canvas>.
function makeCanvas(width, height) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

export class Display {
  constructor(canvas) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d', { alpha: false });
    this.width = canvas.width; // the view in emulated pixels
    this.height = canvas.height;
    this.phosphor = 'white';
    this.crt = false;
    this.pixelsX = 1; // device pixels per emulated pixel in the CRT look
    this.pixelsY = 1;
    this.source = null; // the coloured view, one pixel per emulated pixel (CRT and export)
    this.image = null;
    this.trail = null; // the CRT look's fading picture
    this.fadeFrames = 0;
    this.onColour = 0;
    this.setPhosphor('white');
  }

  setPhosphor(name) {
    const [r, g, b] = phosphorColour(name);
    this.phosphor = String(name).toLowerCase();
    // ImageData is RGBA in memory; a Uint32Array view reads it in the platform's byte order.
    const bytes = new Uint8Array([r, g, b, 0xff, 0, 0, 0, 0xff]);
    const previous = this.onColour;
    [this.onColour, this.offColour] = new Uint32Array(bytes.buffer);
    // Recolour the picture on screen: it holds only the old colour and black.
    if (this.image && previous !== this.onColour) {
      const pixels = new Uint32Array(this.image.data.buffer);
      for (let i = 0; i < pixels.length; i += 1) if (pixels[i] === previous) pixels[i] = this.onColour;
      this.sourceContext.putImageData(this.image, 0, 0);
    }
    this.redrawLast();
  }

  // The CRT look on or off; `crt` is ignored (plain) where the canvas cannot compose.
  setCrt(on) {
    this.crt = Boolean(on) && typeof this.context.drawImage === 'function';
    this.trail = null;
    this.resize();
    this.redrawLast();
  }

  // The view's size in emulated pixels.
  setSize(width, height) {
    this.width = width;
    this.height = height;
    this.image = new ImageData(width, height);
    this.source = makeCanvas(width, height);
    this.sourceContext = this.source.getContext('2d', { alpha: false });
    this.trail = null;
    this.resize();
  }

  // Device pixels per emulated pixel for the CRT look, from the canvas's size on screen.
  fitDevicePixels(cssWidth, cssHeight) {
    const ratio = globalThis.devicePixelRatio || 1;
    const pick = (css, pixels) =>
      Math.min(MAX_DEVICE_PX_PER_PIXEL, Math.max(1, Math.round((css * ratio) / pixels)));
    const x = pick(cssWidth, this.width);
    const y = pick(cssHeight, this.height);
    if (x !== this.pixelsX || y !== this.pixelsY) {
      this.pixelsX = x;
      this.pixelsY = y;
      this.resize();
      this.redrawLast();
    }
  }

  resize() {
    const width = this.crt ? this.width * this.pixelsX : this.width;
    const height = this.crt ? this.height * this.pixelsY : this.height;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.trail = null;
    }
  }

  // Colours the rectangle (x, y, this.width × this.height) of a `stride`-pixel-wide RGBA
  // framebuffer and shows it.
  draw(rgba, stride, x, y) {
    if (!this.image || this.image.width !== this.width || this.image.height !== this.height) {
      this.setSize(this.width, this.height);
    }
    const out = new Uint32Array(this.image.data.buffer);
    const { onColour, offColour } = this;
    let at = 0;
    for (let row = 0; row < this.height; row += 1) {
      let from = ((y + row) * stride + x) * 4;
      for (let column = 0; column < this.width; column += 1, from += 4) {
        out[at++] = rgba[from] ? onColour : offColour;
      }
    }
    this.sourceContext.putImageData(this.image, 0, 0);
    this.fadeFrames = FADE_FRAMES;
    this.present();
  }

  redrawLast() {
    if (!this.image || !this.source) return;
    this.fadeFrames = FADE_FRAMES;
    this.present();
  }

  // Called once per animation frame: keeps a fading trail moving. True while it drew.
  tick() {
    if (!this.crt || this.fadeFrames <= 0) return false;
    this.present();
    return true;
  }

  present() {
    if (!this.source) return;
    if (!this.crt) {
      this.context.putImageData(this.image, 0, 0);
      this.fadeFrames = 0;
      return;
    }
    const { width, height } = this.canvas;
    if (!this.trail || this.trail.width !== width || this.trail.height !== height) {
      this.trail = makeCanvas(width, height);
      this.trailContext = this.trail.getContext('2d', { alpha: false });
    }
    const trail = this.trailContext;
    trail.globalCompositeOperation = 'source-over';
    trail.globalAlpha = 1;
    trail.fillStyle = `rgba(0, 0, 0, ${1 - PERSISTENCE})`;
    trail.fillRect(0, 0, width, height);
    trail.globalCompositeOperation = 'lighten';
    trail.imageSmoothingEnabled = false;
    trail.drawImage(this.source, 0, 0, width, height);
    this.fadeFrames -= 1;
    if (this.scanlinesFor !== this.pixelsY) {
      this.scanlines = scanlinePattern(this.context, this.pixelsY);
      this.scanlinesFor = this.pixelsY;
    }
    compose(this.context, this.trail, this.source, this.scanlines);
  }

  // The picture as it looks now, `pixelsX` × `pixelsY` canvas pixels per emulated pixel, for
  // export: coloured, and with the CRT look (without the trail) when it is on.
  picture(pixelsX, pixelsY) {
    const canvas = makeCanvas(this.width * pixelsX, this.height * pixelsY);
    const context = canvas.getContext('2d', { alpha: false });
    context.imageSmoothingEnabled = false;
    if (!this.source) return canvas;
    if (this.crt) {
      compose(context, this.source, this.source, scanlinePattern(context, pixelsY));
    } else {
      context.drawImage(this.source, 0, 0, canvas.width, canvas.height);
    }
    return canvas;
  }
}

// The CRT look onto `context`'s whole canvas: `sharp` enlarged without smoothing, `source`
// enlarged with smoothing and added as glow, then the `scanlines` pattern (if any) multiplied.
function compose(context, sharp, source, scanlines) {
  const { width, height } = context.canvas;
  context.globalCompositeOperation = 'source-over';
  context.globalAlpha = 1;
  context.imageSmoothingEnabled = false;
  context.drawImage(sharp, 0, 0, width, height);
  context.globalCompositeOperation = 'lighter';
  context.globalAlpha = GLOW_ALPHA;
  context.imageSmoothingEnabled = true;
  context.drawImage(source, 0, 0, width, height);
  context.globalAlpha = 1;
  if (scanlines) {
    context.globalCompositeOperation = 'multiply';
    context.fillStyle = scanlines;
    context.fillRect(0, 0, width, height);
  }
  context.globalCompositeOperation = 'source-over';
}

// A pattern one emulated pixel row tall: full light, then the last device row dimmed; null when
// rows are too short to show a gap.
function scanlinePattern(context, pixelsY) {
  if (pixelsY < SCANLINE_MIN_ROWS) return null;
  const tile = makeCanvas(1, pixelsY);
  const tileContext = tile.getContext('2d');
  tileContext.fillStyle = '#fff';
  tileContext.fillRect(0, 0, 1, pixelsY);
  const level = Math.round((pixelsY === 2 ? SCANLINE_LEVEL_2 : SCANLINE_LEVEL) * 255);
  tileContext.fillStyle = `rgb(${level}, ${level}, ${level})`;
  tileContext.fillRect(0, pixelsY - 1, 1, 1);
  return context.createPattern(tile, 'repeat');
}
