/**
 * Backups as JSON lines: `akhbar export > backup.jsonl` writes every article, subscription and
 * feed, one record a line; `akhbar import backup.jsonl` reads them into any backend, which is also
 * how a store moves from SQLite to PostgreSQL. Summaries and answers are left out (the engine makes
 * them again), and so is the delivery queue (what was pending when the backup was taken is sent by
 * the store it was taken from, not by a restored copy, so nothing goes out twice).
 */
import { AkhbarError } from '../core/errors.js';
import type { Storage } from '../core/ports.js';
import { compilePattern } from '../core/filters.js';
import type { Subscription } from '../core/subscriptions.js';
import type { Article, FeedRecord } from '../core/types.js';

/** One line of a backup. */
export type BackupRecord =
  | { readonly type: 'article'; readonly article: Article }
  | { readonly type: 'subscription'; readonly subscription: Subscription }
  | { readonly type: 'feed'; readonly feed: FeedRecord };

/** The first line of a backup, so an import can refuse a file that is not one. */
export const BACKUP_HEADER = { type: 'akhbar-backup', version: 1 } as const;

/** Every line of a backup of `storage`, the header first, each a JSON text without its newline. */
export async function* exportStorage(storage: Storage): AsyncGenerator<string> {
  yield JSON.stringify(BACKUP_HEADER);
  for await (const article of storage.articles.scan()) yield JSON.stringify({ type: 'article', article } satisfies BackupRecord);
  for (const subscription of await storage.subscriptions.list()) yield JSON.stringify({ type: 'subscription', subscription } satisfies BackupRecord);
  for (const feed of await storage.feeds.list()) yield JSON.stringify({ type: 'feed', feed } satisfies BackupRecord);
}

/** What an import did. */
export interface ImportReport {
  readonly articles: { read: number; added: number };
  readonly subscriptions: number;
  readonly feeds: { read: number; added: number };
}

/**
 * Reads a backup's lines into `storage`. Articles and feeds already there are kept as they are;
 * subscriptions are written as the backup has them. A line that is not a backup record stops the
 * import with BAD_BACKUP naming its line number; what was read before it stays stored.
 */
export async function importStorage(storage: Storage, lines: AsyncIterable<string> | Iterable<string>): Promise<ImportReport> {
  const articles = { read: 0, added: 0 };
  const feeds = { read: 0, added: 0 };
  let subscriptions = 0;
  let lineNumber = 0;
  let sawHeader = false;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const record = parse(line, lineNumber);
    if (!sawHeader) {
      if (record.type !== BACKUP_HEADER.type || record.version !== BACKUP_HEADER.version) throw badBackup(lineNumber, 'not an akhbar backup (no header line)');
      sawHeader = true;
      continue;
    }
    if (record.type === 'article') {
      articles.read++;
      // Imported articles were fanned out by the store they came from: no new fan-out here.
      if ((await storage.articles.insert(checked<Article>(record.article, ARTICLE_FIELDS, lineNumber, 'article'))).inserted) articles.added++;
    } else if (record.type === 'subscription') {
      await storage.subscriptions.put(checked<Subscription>(record.subscription, SUBSCRIPTION_FIELDS, lineNumber, 'subscription'));
      subscriptions++;
    } else if (record.type === 'feed') {
      feeds.read++;
      if (await storage.feeds.insert(checked<FeedRecord>(record.feed, FEED_FIELDS, lineNumber, 'feed'))) feeds.added++;
    } else {
      throw badBackup(lineNumber, `unknown record type ${JSON.stringify(record.type)}`);
    }
  }
  if (!sawHeader) throw badBackup(lineNumber, 'the file is empty');
  return { articles, subscriptions, feeds };
}

// What each record must hold, checked before anything is written: a hand-edited or truncated
// backup is refused with the line and the field, instead of storing a record the bot cannot show.
type FieldCheck = (value: unknown) => boolean;
const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
const time = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const oneOf =
  (...allowed: readonly string[]): FieldCheck =>
  (value) =>
    typeof value === 'string' && allowed.includes(value);
const optional =
  (check: FieldCheck): FieldCheck =>
  (value) =>
    value === undefined || value === null || check(value);

const ARTICLE_FIELDS: Record<string, FieldCheck> = {
  id: (value) => typeof value === 'string' && /^[0-9a-f]{8,64}$/u.test(value),
  title: (value) => typeof value === 'string',
  text,
  language: oneOf('ar', 'en', 'other'),
  postedAt: time,
  postedBy: text,
  url: optional(text),
  byline: optional((value) => typeof value === 'string'),
  publishedAt: optional(time),
  source: optional(oneOf('paste', 'link', 'feed')),
};
// A pattern that would not compile is refused here, so fan-out never meets one.
function isFilters(value: unknown): boolean {
  if (!isObject(value)) return false;
  const words = (list: unknown) => Array.isArray(list) && list.every((word) => typeof word === 'string');
  if (!['include', 'exclude', 'feeds', 'languages'].every((list) => words(value[list]))) return false;
  const regex = value['regex'];
  if (regex === undefined) return true;
  if (typeof regex !== 'string') return false;
  try {
    compilePattern(regex);
    return true;
  } catch {
    return false;
  }
}

const SUBSCRIPTION_FIELDS: Record<string, FieldCheck> = {
  id: text,
  platform: text,
  chatId: text,
  kind: oneOf('private', 'group', 'channel'),
  mode: oneOf('each', 'digest'),
  active: (value) => typeof value === 'boolean',
  createdAt: time,
  updatedAt: time,
  digestTime: optional((value) => typeof value === 'string' && /^\d{2}:\d{2}$/u.test(value)),
  language: optional(oneOf('ar', 'en', 'other')),
  storyUpdates: optional((value) => typeof value === 'boolean'),
  threadId: optional(text),
  forum: optional((value) => typeof value === 'boolean'),
  format: optional(oneOf('summary', 'headline', 'full')),
  previews: optional((value) => typeof value === 'boolean'),
  filters: optional(isFilters),
};
const FEED_FIELDS: Record<string, FieldCheck> = {
  id: text,
  url: (value) => typeof value === 'string' && /^https?:\/\//u.test(value),
  addedBy: text,
  addedAt: time,
  nextCheckAt: time,
  failures: (value) => Number.isInteger(value) && (value as number) >= 0,
  seen: (value) => Array.isArray(value) && value.every((id) => typeof id === 'string'),
};

function checked<T>(value: unknown, fields: Record<string, FieldCheck>, lineNumber: number, kind: string): T {
  if (!isObject(value)) throw badBackup(lineNumber, `no ${kind} in the record`);
  for (const [field, check] of Object.entries(fields)) {
    if (!check(value[field])) throw badBackup(lineNumber, `${kind} field ${JSON.stringify(field)} is missing or not valid`);
  }
  return value as unknown as T;
}

function parse(line: string, lineNumber: number): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    if (isObject(value)) return value;
  } catch {
    // Reported below with the line number.
  }
  throw badBackup(lineNumber, 'not a JSON object');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badBackup(line: number, reason: string): AkhbarError {
  return new AkhbarError({ code: 'BAD_BACKUP', line, reason });
}
