// Screen: the view (which cells of video RAM), its size on the page, and the hand-over of the
// core's 256×256 RGBA framebuffer to the Display (www/display.js), which colours it and draws it
// plain or with the CRT look.
//
// The core renders only when video RAM changed, so most frames cost nothing here. In the plain
// look the canvas holds exactly the view's pixels and CSS does the enlargement, optionally to a
// 4:3 TV shape (each emulated pixel 4 units wide and 3 high). Every view is shown at the size the
// 24×24 TV window gets, so switching to the full 32×32 view does not shrink the picture.

import { Display } from './display.js';

export const FULL_PX = 256;
const CELL_PX = 8;
const EMBED_MARGIN_PX = 6; // the margin inside the tube when the picture fills an embedded box

// Cell rectangles of each view (first row/column, rows × columns). The firmware writes its text
// window at rows 4–27, columns 5–28 (docs/hardware.md, "Video"); what a real TV showed varies, so two wider
// crops are offered too.
export const VIEWS = {
  tv: { row: 4, column: 5, rows: 24, columns: 24, label: 'TV window 24×24' },
  tv25: { row: 3, column: 4, rows: 25, columns: 25, label: 'TV 25×25' },
  tv26: { row: 2, column: 5, rows: 26, columns: 24, label: 'TV 24×26' },
  full: { row: 0, column: 0, rows: 32, columns: 32, label: 'Full 32×32' },
};

// Other names accepted for the views (URL parameters, scripts).
const VIEW_ALIASES = { window: 'tv', tv24: 'tv', '24x24': 'tv', '25x25': 'tv25', '24x26': 'tv26', '32x32': 'full' };

export function viewName(name) {
  const key = String(name).toLowerCase();
  return VIEW_ALIASES[key] ?? key;
}

export class Screen {
  // `container` is the box the picture must fit; `embedded()` says whether the machine fills a
  // box of its own (embed mode: any scale, letterboxed) rather than a page (whole pixels, no
  // taller than the window).
  constructor(canvas, container, embedded = () => false) {
    this.canvas = canvas;
    this.container = container;
    this.embedded = embedded;
    this.display = new Display(canvas);
    this.viewName = 'tv';
    this.tvAspect = true;
    this.margin = true;
    new ResizeObserver(() => this.fit()).observe(container);
  }

  get view() {
    return VIEWS[this.viewName];
  }

  setView(requested) {
    const name = viewName(requested);
    if (!VIEWS[name]) throw new Error(`unknown view "${requested}" (use ${Object.keys(VIEWS).join(', ')} or window)`);
    this.viewName = name;
    this.display.setSize(this.view.columns * CELL_PX, this.view.rows * CELL_PX);
    this.fit();
  }

  setAspect(tv) {
    this.tvAspect = tv;
    this.fit();
  }

  // A small black margin between the picture and the edge of the tube (on by default).
  setMargin(on) {
    this.margin = on;
    this.container.classList.toggle('no-margin', !on);
    this.fit();
  }

  setCrt(on) {
    this.display.setCrt(on);
    this.fit();
  }

  // On a page: the largest whole-pixel scale at which the 24×24 TV window fits the container's
  // width and the window's height; in TV shape the horizontal scale is 4/3 of the vertical one
  // (kept whole by choosing a vertical scale divisible by 3 when it is ≥ 3). Other views fill
  // the same height (the full view's pixels are then ¾ as tall). Embedded: the largest scale
  // of any size that fits the container, less the margin, so nothing is cut.
  fit() {
    const { width, height } = this.display;
    const box = this.container.getBoundingClientRect();
    const shape = this.tvAspect ? 4 / 3 : 1;
    let cssWidth;
    let cssHeight;
    if (this.embedded()) {
      const margin = this.margin ? 2 * EMBED_MARGIN_PX : 0;
      const scale = Math.max(Math.min((box.width - margin) / (width * shape), (box.height - margin) / height), 0.1);
      cssWidth = Math.floor(width * shape * scale);
      cssHeight = Math.floor(height * scale);
    } else {
      // Height left for the picture: the window less the title, bezel and status line.
      const chrome = 190;
      const room = { w: Math.max(box.width - 76, 160), h: Math.max(window.innerHeight - chrome, 150) };
      const tvPx = VIEWS.tv.rows * CELL_PX;
      const free = Math.min(room.h / tvPx, room.w / (shape * tvPx));
      let sy = Math.max(1, Math.floor(free));
      if (this.tvAspect && sy >= 3) sy -= sy % 3;
      // Whole pixels are crisper, but not at any price: when they would leave the picture much
      // smaller than the room allows (a narrow column on a course page), scale freely instead.
      if (sy < 0.8 * free) sy = free;
      cssHeight = tvPx * sy;
      cssWidth = Math.round(width * shape * (cssHeight / height));
    }
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
    this.display.fitDevicePixels(cssWidth, cssHeight);
  }

  // Draws the framebuffer at `ptr` in wasm `memory` (a fresh view each time: memory may have
  // grown since the last frame, which detaches old views).
  draw(memory, ptr) {
    const pixels = new Uint8Array(memory.buffer, ptr, FULL_PX * FULL_PX * 4);
    const { row, column } = this.view;
    this.display.draw(pixels, FULL_PX, column * CELL_PX, row * CELL_PX);
  }

  // The view's rows of the full screen text (32 lines of 32 characters).
  crop(fullText) {
    const { row, column, rows, columns } = this.view;
    return fullText
      .split('\n')
      .slice(row, row + rows)
      .map((line) => [...line].slice(column, column + columns).join('').trimEnd())
      .join('\n');
  }
}
