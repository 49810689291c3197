/**
 * LOLWUT: Valkey's computer art (lolwut.c, lolwut5.c, lolwut6.c, lolwut9.c).
 * The drawing algorithms are reproduced with C's float arithmetic
 * (Math.fround at every float operation), so every output that does not
 * depend on C's rand() — LOLWUT 9 with explicit constants, LOLWUT 5 with up
 * to two rows of squares, the version banner — is byte-identical; where the
 * real server draws random numbers, the engine's rng stands in, so those
 * outputs have the real structure but different art.
 */
import type { Bytes } from '../protocol/index.js';
import type { Rng } from '../time/index.js';

const f = Math.fround;
const RAND_MAX = 2147483647;

/** C's rand(): 0..RAND_MAX. */
const rand = (rng: Rng) => rng.nextU32() >>> 1;

export interface LolwutOptions {
  rng: Rng;
  /** "Valkey ver. 9.1.2" or, with extended-redis-compatibility, "Redis ver. 7.2.4". */
  banner: string;
}

class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, bg: number) {
    this.pixels = new Uint8Array(Math.max(0, width * height)).fill(bg);
  }
  set(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }
  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }
  /** Bresenham. */
  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    while (true) {
      this.set(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }
  /** lwDrawSquare: a square centred on x,y, rotated by `angle`. */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    size = f(size / 1.4142135623);
    size = f(Math.round(size));
    let k = f(Math.PI / 4 + angle);
    const px: number[] = [];
    const py: number[] = [];
    for (let j = 0; j < 4; j++) {
      px.push(cRound(Math.sin(k) * size + x));
      py.push(cRound(Math.cos(k) * size + y));
      k = f(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, color);
  }
}

/** C's round(): half away from zero. */
function cRound(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

// ---------------------------------------------------------------- LOLWUT 5 ---

function schotter(cols: number, perRow: number, perCol: number, rng: Rng): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f(f(width - padding * 2) / f(perRow));
  const height = Math.trunc(f(f(side * perCol) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + f(side / 2)) + padding));
      let sy = Math.trunc(f(f(f(y * side) + f(side / 2)) + padding));
      let angle = 0;
      if (y > 1) {
        let r1 = f(f(f(f(rand(rng)) / f(RAND_MAX)) / perCol) * y);
        let r2 = f(f(f(f(rand(rng)) / f(RAND_MAX)) / perCol) * y);
        let r3 = f(f(f(f(rand(rng)) / f(RAND_MAX)) / perCol) * y);
        if (rand(rng) % 2) r1 = -r1;
        if (rand(rng) % 2) r2 = -r2;
        if (rand(rng) % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f(sx + f(f(r2 * side) / 3)));
        sy = Math.trunc(f(sy + f(f(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** A Braille character (U+2800 + bits) as its three UTF-8 bytes. */
function braille(bits: number): Bytes {
  const code = 0x2800 + bits;
  return String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
}

function renderBraille(c: Canvas): Bytes {
  let text = '';
  for (let y = 0; y < c.height; y += 4) {
    for (let x = 0; x < c.width; x += 2) {
      let b = 0;
      if (c.get(x, y)) b |= 1 << 0;
      if (c.get(x, y + 1)) b |= 1 << 1;
      if (c.get(x, y + 2)) b |= 1 << 2;
      if (c.get(x + 1, y)) b |= 1 << 3;
      if (c.get(x + 1, y + 1)) b |= 1 << 4;
      if (c.get(x + 1, y + 2)) b |= 1 << 5;
      if (c.get(x, y + 3)) b |= 1 << 6;
      if (c.get(x + 1, y + 3)) b |= 1 << 7;
      text += braille(b);
    }
    if (y !== c.height - 1) text += '\n';
  }
  return text;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

export function lolwut5(args: readonly number[], o: LolwutOptions): Bytes {
  const cols = clamp(args[0] ?? 66, 1, 1000);
  const perRow = clamp(args[1] ?? 8, 1, 200);
  const perCol = clamp(args[2] ?? 12, 1, 200);
  const canvas = schotter(cols, perRow, perCol, o.rng);
  return renderBraille(canvas) + `\nGeorg Nees - schotter, plotter on paper, 1968. ${o.banner}\n`;
}

// ---------------------------------------------------------------- LOLWUT 6 ---

interface Skyscraper { xoff: number; width: number; height: number; windows: boolean; color: number }

function skyscraper(c: Canvas, s: Skyscraper, rng: Rng): void {
  const starty = c.height - 1;
  const endy = starty - s.height + 1;
  for (let y = starty; y >= endy; y--) {
    for (let x = s.xoff; x < s.xoff + s.width; x++) {
      if (y === endy && (x <= s.xoff + 1 || x >= s.xoff + s.width - 2)) continue;
      let color = s.color;
      if (s.windows && x > s.xoff + 1 && x < s.xoff + s.width - 2 && y > endy + 1 && y < starty - 1) {
        const relx = x - (s.xoff + 1);
        const rely = y - (endy + 1);
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          do color = 1 + (rand(rng) % 2); while (color === s.color);
          if (relx % 2) color = c.get(x - 1, y);
        }
      }
      c.set(x, y, color);
    }
  }
}

function skyline(c: Canvas, rng: Rng): void {
  const h = c.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < c.width;) {
      offset += rand(rng) % 8;
      const width = 10 + (rand(rng) % 9);
      const height = color === 2
        ? Math.trunc(h / 2) + Math.trunc((rand(rng) % h) / 2)
        : Math.trunc(h / 2) + Math.trunc((rand(rng) % h) / 3);
      skyscraper(c, { xoff: offset, width, height, windows: false, color }, rng);
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < c.width;) {
    offset += rand(rng) % 8;
    let width = 5 + (rand(rng) % 14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand(rng) % h) / 2);
    skyscraper(c, { xoff: offset, width, height, windows: true, color: 0 }, rng);
    offset += width + 5;
  }
}

const GRAYS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

export function lolwut6(args: readonly number[], o: LolwutOptions): Bytes {
  const cols = clamp(args[0] ?? 80, 1, 1000);
  const rows = clamp(args[1] ?? 20, 1, 1000);
  const canvas = new Canvas(cols, rows, 3);
  skyline(canvas, o.rng);
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GRAYS[canvas.get(x, y)] ?? GRAYS[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return text + '\nDedicated to the 8 bit game developers of past and present.\n' +
    `Original 8 bit image from Plaguemon by hikikomori. ${o.banner}\n`;
}

// ---------------------------------------------------------------- LOLWUT 9 ---

const ASCII = ' .:-=+*%#&@';

function juliaIteration(x: number, y: number, jr: number, ji: number, maxIter: number): number {
  for (let i = 0; i < maxIter; i++) {
    const xNew = f(f(f(x * x) - f(y * y)) + jr);
    const yNew = f(f(f(2 * x) * y) + ji);
    x = xNew;
    y = yNew;
    if (f(f(x * x) + f(y * y)) > 4) return i;
  }
  return maxIter - 1;
}

/** `cols` and `rows` as given (clamped here); `julia` as floats, or undefined for random constants. */
export function lolwut9(cols: number, rows: number, julia: [number, number] | undefined, o: LolwutOptions, fmt2: (x: number) => string): Bytes {
  cols = clamp(cols, 1, 160);
  rows = clamp(rows, 1, 80);
  const [jr, ji] = julia ?? [
    f(f(f(f(rand(o.rng)) / f(RAND_MAX)) * 2) - 1),
    f(f(f(f(rand(o.rng)) / f(RAND_MAX)) * 2) - 1),
  ];
  const fc = f(cols);
  const fr = f(rows);
  let out = '';
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = f(-2 + f(f(4 * f(j + 0.5)) / fc));
      const y = f(2 - f(f(4 * f(i + 0.5)) / fr));
      const it = juliaIteration(x, y, jr, ji, ASCII.length);
      out += ASCII[it % (ASCII.length + 1)] ?? '\0';
    }
    out += '\n';
  }
  out += `Ascii representation of Julia set with constant ${fmt2(jr)} + ${fmt2(ji)}i\n`;
  return out + `Don't forget to have fun! ${o.banner}\n`;
}
