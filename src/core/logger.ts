/**
 * A small structured logger: one JSON line per event on stderr, so stdout stays free for the
 * console adapter and the CLI's --json output.
 */

/** Severity levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What the core and adapters log through. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines all carry `fields` (e.g. the adapter's name). */
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Secrets that must never reach a log line, however an error message embeds them. */
const secrets = new Set<string>();

/** Registers a secret (a bot token, an API key) to be replaced by `[redacted]` in every log line. */
export function redactSecret(secret: string | undefined): void {
  if (secret && secret.length >= 6) secrets.add(secret);
}

function redact(line: string): string {
  let out = line;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

/** Turns an unknown thrown value into loggable fields (message, name, stack). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: error.message, errorName: error.name, stack: error.stack };
  }
  return { error: String(error) };
}

/** A logger writing JSON lines at or above `level` to `write` (stderr by default). */
export function createLogger(
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const threshold = ORDER[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    const record = { time: new Date().toISOString(), level: lvl, msg: message, ...base, ...fields };
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      line = JSON.stringify({ time: record.time, level: lvl, msg: message, note: 'fields not serialisable' });
    }
    write(redact(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  };
}

/** A logger that drops everything (tests, evaluation). */
export const silentLogger: Logger = createLogger('silent');
