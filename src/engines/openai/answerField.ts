/**
 * Reads the "answer" string out of a JSON reply while it is still streaming in, so users can watch
 * the answer grow instead of the JSON around it.
 */

/** Feeds streamed text; each call returns the answer decoded so far. */
export function createAnswerFieldReader(): (chunk: string) => string {
  let buffer = '';
  let start = -1;
  let decoded = '';
  let position = 0;
  let done = false;
  return (chunk) => {
    buffer += chunk;
    if (done) return decoded;
    if (start < 0) {
      const match = /"answer"\s*:\s*"/u.exec(buffer);
      if (!match) return decoded;
      start = match.index + match[0].length;
      position = start;
    }
    while (position < buffer.length) {
      const char = buffer[position]!;
      if (char === '"') {
        done = true;
        break;
      }
      if (char !== '\\') {
        decoded += char;
        position++;
        continue;
      }
      // An escape: wait until all of it has arrived.
      const next = buffer[position + 1];
      if (next === undefined) break;
      if (next === 'u') {
        const hex = buffer.slice(position + 2, position + 6);
        if (hex.length < 4) break;
        decoded += String.fromCharCode(Number.parseInt(hex, 16));
        position += 6;
        continue;
      }
      decoded += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '' : next;
      position += 2;
    }
    return decoded;
  };
}
