// The module hooks behind importTrace.mjs; they run on the loader's own thread.
import { appendFileSync } from 'node:fs';

const seen = new Set();

/** Passes every resolution through, noting the package of each one inside node_modules. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url)?.[1];
  if (name && !seen.has(name) && process.env.IMPORT_TRACE_FILE) {
    seen.add(name);
    appendFileSync(process.env.IMPORT_TRACE_FILE, `${name}\n`);
  }
  return resolved;
}
