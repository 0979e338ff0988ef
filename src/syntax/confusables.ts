/**
 * Look-alike characters: non-ASCII characters that a user (or a copy from a web page) may have
 * typed for an ASCII one. The lexer names the ASCII character in its E001 message, so a Cyrillic
 * 'а' in a name or a fullwidth '８' in a port is found at once instead of guessed at.
 */

const table: Record<number, string> = {
  // Cyrillic and Greek letters that look like Latin ones
  0x0430: 'a', 0x0435: 'e', 0x043e: 'o', 0x0440: 'p', 0x0441: 'c', 0x0443: 'y', 0x0445: 'x', 0x0456: 'i', 0x0458: 'j', 0x0455: 's',
  0x0410: 'A', 0x0412: 'B', 0x0415: 'E', 0x041a: 'K', 0x041c: 'M', 0x041d: 'H', 0x041e: 'O', 0x0420: 'P', 0x0421: 'C', 0x0422: 'T', 0x0425: 'X',
  0x03bf: 'o', 0x03b1: 'a', 0x0391: 'A', 0x0392: 'B', 0x0395: 'E', 0x039f: 'O', 0x03a1: 'P', 0x03a4: 'T', 0x03a7: 'X',
  // Dashes, minus signs, quotes, spaces
  0x2010: '-', 0x2011: '-', 0x2012: '-', 0x2013: '-', 0x2014: '-', 0x2212: '-', 0xfe63: '-',
  0x201c: '"', 0x201d: '"', 0x201e: '"', 0x2033: '"', 0x2018: "'", 0x2019: "'",
  0x00a0: ' ', 0x2002: ' ', 0x2003: ' ', 0x2009: ' ', 0x200a: ' ', 0x202f: ' ', 0x3000: ' ', 0x200b: ' ',
  0x2024: '.', 0x3002: '.', 0xff61: '.', 0x2236: ':', 0x0589: ':', 0x2192: '->', 0x201a: ',', 0x066b: ',',
};

/** The ASCII character a code point looks like, or null. Fullwidth forms map to their ASCII twin. */
export function lookAlike(code: number): string | null {
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  return table[code] ?? null;
}
