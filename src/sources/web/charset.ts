/**
 * Bytes of a fetched page or feed to text, in the order browsers use: a byte-order mark, then the
 * charset of the Content-Type header, then a declaration in the document's first bytes, then UTF-8.
 */

/** How far into the document a `<meta charset>` or `<?xml encoding?>` declaration is looked for. */
const SNIFF_BYTES = 2048;

const HEADER_CHARSET = /charset\s*=\s*["']?\s*([\w.:-]+)/i;
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i;

/** The text of `bytes`, decoded with the charset the BOM, the header or the document declares (UTF-8 by default). */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): { text: string; charset: string } {
  const charset = detectCharset(bytes, contentType);
  return { text: new TextDecoder(charset).decode(bytes), charset };
}

/** The WHATWG name of the charset `bytes` are in, e.g. `utf-8` or `windows-1256`. */
export function detectCharset(bytes: Uint8Array, contentType: string | undefined): string {
  const bom = bomCharset(bytes);
  if (bom) return bom;
  const declared = contentType?.match(HEADER_CHARSET)?.[1];
  const fromHeader = declared === undefined ? undefined : supported(declared);
  if (fromHeader) return fromHeader;
  // Declarations are ASCII in every charset a page can declare itself in; latin1 reads them byte for byte.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SNIFF_BYTES)).toString('latin1');
  const sniffed = head.match(XML_ENCODING)?.[1] ?? head.match(META_CHARSET)?.[1];
  const fromDocument = sniffed === undefined ? undefined : supported(sniffed);
  // A document readable as ASCII cannot really be UTF-16, whatever it says (the HTML standard's rule too).
  if (fromDocument && !fromDocument.startsWith('utf-16')) return fromDocument;
  return 'utf-8';
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

// TextDecoder knows every WHATWG label (Node's official builds carry full ICU); an unknown one is ignored.
function supported(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}
