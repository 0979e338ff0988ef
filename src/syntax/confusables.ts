/**
 * Look-alike characters: non-ASCII characters that a user (or a copy from a web page) may have
 * typed for an ASCII one. The lexer names the ASCII character in its E001 message, so a Cyrillic
 * 'а' in a name or a fullwidth '８' in a port is found at once instead of guessed at.
 */

const table: Record<number, string> = {
  // Cyrillic and Greek letters that look like Latin ones
  1072: 'a',
  1077: 'e',
  1086: 'o',
  1088: 'p',
  1089: 'c',
  1091: 'y',
  1093: 'x',
  1110: 'i',
  1112: 'j',
  1109: 's',
  1040: 'A',
  1042: 'B',
  1045: 'E',
  1050: 'K',
  1052: 'M',
  1053: 'H',
  1054: 'O',
  1056: 'P',
  1057: 'C',
  1058: 'T',
  1061: 'X',
  959: 'o',
  945: 'a',
  913: 'A',
  914: 'B',
  917: 'E',
  927: 'O',
  929: 'P',
  932: 'T',
  935: 'X',
  // Dashes, minus signs, quotes, spaces
  8208: '-',
  8209: '-',
  8210: '-',
  8211: '-',
  8212: '-',
  8722: '-',
  65123: '-',
  8220: '"',
  8221: '"',
  8222: '"',
  8243: '"',
  8216: "'",
  8217: "'",
  160: ' ',
  8194: ' ',
  8195: ' ',
  8201: ' ',
  8202: ' ',
  8239: ' ',
  12288: ' ',
  8203: ' ',
  8228: '.',
  12290: '.',
  65377: '.',
  8758: ':',
  1417: ':',
  8594: '->',
  8218: ',',
  1643: ',',
};

/** The ASCII character a code point looks like, or null. Fullwidth forms map to their ASCII twin. */
export function lookAlike(code: number): string | null {
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  return table[code] ?? null;
}
