// Screen: copies the core's 256×256 RGBA framebuffer onto a small canvas, cropped to the chosen
// view, and scales it with CSS (image-rendering: pixelated) by whole pixels.
//
// The core renders only when video RAM changed, so most frames cost nothing here. The canvas
// holds exactly the view's pixels; CSS does the enlargement, optionally to a 4:3 TV shape (each
// emulated pixel 4 units wide and 3 high).

export const FULL_PX = 256;
const CELL_PX = 8;

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
    this.context = canvas.getContext('2d', { alpha: false });
    this.viewName = 'tv';
    this.tvAspect = true;
    this.image = null;
    new ResizeObserver(() => this.fit()).observe(container);
  }

  get view() {
    return VIEWS[this.viewName];
  }

  setView(requested) {
    const name = viewName(requested);
    if (!VIEWS[name]) throw new Error(`unknown view "${requested}" (use ${Object.keys(VIEWS).join(', ')} or window)`);
    this.viewName = name;
    this.canvas.width = this.view.columns * CELL_PX;
    this.canvas.height = this.view.rows * CELL_PX;
    this.fit();
  }

  setAspect(tv) {
    this.tvAspect = tv;
    this.fit();
  }

  // On a page: the largest whole-pixel scale that fits the container's width and the window's
  // height; in TV shape the horizontal scale is 4/3 of the vertical one (kept whole by choosing
  // a vertical scale divisible by 3 when it is ≥ 3). Embedded: the largest scale of any size
  // that fits the container, so the picture fills its box with nothing cut.
  fit() {
    const { width, height } = this.canvas;
    const box = this.container.getBoundingClientRect();
    if (this.embedded()) {
      const shape = this.tvAspect ? 4 / 3 : 1;
      const scale = Math.max(Math.min(box.width / (width * shape), box.height / height), 0.1);
      this.canvas.style.width = `${Math.floor(width * shape * scale)}px`;
      this.canvas.style.height = `${Math.floor(height * scale)}px`;
      return;
    }
    // Height left for the picture: the window less the title, bezel and status line.
    const chrome = 190;
    const room = { w: Math.max(box.width - 76, 160), h: Math.max(window.innerHeight - chrome, 150) };
    let sx;
    let sy;
    if (this.tvAspect) {
      sy = Math.max(1, Math.floor(Math.min(room.h / height, (room.w * 3) / (4 * width))));
      if (sy >= 3) sy -= sy % 3;
      sx = (sy * 4) / 3;
    } else {
      sy = Math.max(1, Math.floor(Math.min(room.h / height, room.w / width)));
      sx = sy;
    }
    // Whole pixels are crisper, but not at any price: when they would leave the picture much
    // smaller than the room allows (a narrow column on a course page), scale freely instead.
    const shape = this.tvAspect ? 4 / 3 : 1;
    const free = Math.min(room.h / height, room.w / (width * shape));
    if (sy < 0.8 * free) {
      sy = free;
      sx = free * shape;
    }
    this.canvas.style.width = `${Math.floor(width * sx)}px`;
    this.canvas.style.height = `${Math.floor(height * sy)}px`;
  }

  // Draws the framebuffer at `ptr` in wasm `memory` (a fresh view each time: memory may have
  // grown since the last frame, which detaches old views).
  draw(memory, ptr) {
    const pixels = new Uint8ClampedArray(memory.buffer, ptr, FULL_PX * FULL_PX * 4);
    const image = new ImageData(pixels, FULL_PX, FULL_PX);
    const { row, column, rows, columns } = this.view;
    const x = column * CELL_PX;
    const y = row * CELL_PX;
    this.context.putImageData(image, -x, -y, x, y, columns * CELL_PX, rows * CELL_PX);
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
