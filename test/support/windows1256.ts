/**
 * A windows-1256 encoder for fixtures: TextEncoder only writes UTF-8, so the table is built by
 * decoding every byte once with TextDecoder.
 */
const table = new Map<string, number>();
const decoder = new TextDecoder('windows-1256');
for (let byte = 0; byte < 256; byte++) {
  const char = decoder.decode(new Uint8Array([byte]));
  if (char !== '\uFFFD' && !table.has(char)) table.set(char, byte);
}

/** `text` in windows-1256; throws on a character the code page lacks, so a fixture cannot silently lose letters. */
export function encodeWindows1256(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const byte = table.get(char);
    if (byte === undefined) throw new Error(`windows-1256 has no ${JSON.stringify(char)} (U+${char.codePointAt(0)!.toString(16)})`);
    bytes.push(byte);
  }
  return Uint8Array.from(bytes);
}
