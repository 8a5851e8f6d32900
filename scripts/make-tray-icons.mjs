// Draws the tray icons into assets/ as real PNGs (node:zlib only): a deck of three cards, at 16
// and 32 px and @2x of each. macOS gets "Template" images (black with alpha: the system tints them
// for light and dark menu bars); Windows and Linux get the coloured ones. Run: node scripts/make-tray-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');
const SAMPLES = 4; // supersampling per axis, for anti-aliased edges

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Inside a rounded rectangle (unit coordinates)? */
function inRoundRect(x, y, r) {
  const [x0, y0, x1, y1, rad] = r;
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + rad), x1 - rad);
  const cy = Math.min(Math.max(y, y0 + rad), y1 - rad);
  return (x - cx) ** 2 + (y - cy) ** 2 <= rad ** 2;
}

// Three stacked cards: two outlines behind, a filled front card with a cut-out "screen" line.
const CARDS = [
  { outer: [0.30, 0.06, 0.94, 0.56, 0.08], inner: [0.37, 0.13, 0.87, 0.49, 0.04], shade: 0.55 },
  { outer: [0.18, 0.22, 0.82, 0.72, 0.08], inner: [0.25, 0.29, 0.75, 0.65, 0.04], shade: 0.8 },
  { outer: [0.06, 0.38, 0.70, 0.94, 0.08], inner: null, shade: 1 },
];
const SLOT = [0.16, 0.52, 0.60, 0.60, 0.03];

/** Coverage (0..1) and shade of the glyph at a point: the front-most card wins. */
function sample(x, y) {
  for (let i = CARDS.length - 1; i >= 0; i--) {
    const c = CARDS[i];
    if (!inRoundRect(x, y, c.outer)) continue;
    if (c.inner && inRoundRect(x, y, c.inner)) return null; // hollow: cards behind show through
    if (!c.inner && inRoundRect(x, y, SLOT)) return null;
    return c.shade;
  }
  return null;
}

function draw(size, colour) {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let shade = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const s = sample((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          if (s !== null) { cover++; shade += s; }
        }
      }
      const o = (py * size + px) * 4;
      if (!cover) continue;
      const a = cover / SAMPLES ** 2;
      const k = shade / cover;
      const [r, g, b] = colour(k);
      out[o] = r; out[o + 1] = g; out[o + 2] = b; out[o + 3] = Math.round(255 * a * (colour === TEMPLATE ? k : 1));
    }
  }
  return out;
}

/** macOS template: black, the shade carried by alpha. */
const TEMPLATE = () => [0, 0, 0];
/** Elsewhere: Hubdeck blue, lighter for the cards behind, readable on light and dark panels. */
const COLOUR = (k) => [Math.round(47 + (1 - k) * 120), Math.round(111 + (1 - k) * 90), 237];

const files = [];
for (const base of [16, 32]) {
  for (const [scale, suffix] of [[1, ''], [2, '@2x']]) {
    const size = base * scale;
    files.push([`tray-icon-${base}${suffix}.png`, png(size, draw(size, COLOUR))]);
    files.push([`tray-icon-${base}Template${suffix}.png`, png(size, draw(size, TEMPLATE))]);
  }
}
for (const [name, data] of files) fs.writeFileSync(path.join(OUT, name), data);
console.log(`wrote ${files.map(([n]) => n).join(', ')} to ${OUT}`);
