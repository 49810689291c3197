/**
 * The cluster hash slot of a key: CRC16 (XMODEM: polynomial 0x1021, initial
 * value 0) of the key, or of its hash tag (the bytes between the first '{'
 * and the next '}', when not empty), modulo 16384.
 */
import type { Bytes } from '../protocol/index.js';

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

function crc16(s: Bytes, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ (s.charCodeAt(i) & 0xff)) & 0xff]!;
  return crc;
}

export function keyHashSlot(key: Bytes): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & 16383;
  }
  return crc16(key, 0, key.length) & 16383;
}
