// `node --import ./test/support/importTrace.mjs …` appends the name of every npm package the
// process imports to the file IMPORT_TRACE_FILE names, once each: how a test sees which libraries
// a command loads.
import { register } from 'node:module';

register('./importTraceHooks.mjs', import.meta.url);
