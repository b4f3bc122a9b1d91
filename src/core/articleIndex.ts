/**
 * The search index of one process, kept in step with the database. Every process (bot instances,
 * the CLI) writes articles to the one database and reads the change sequence the database keeps,
 * so an article posted or deleted anywhere is in or out of every process's index within one poll.
 *
 * Start-up reads the index snapshot stored in the database and applies the changes made since it
 * was taken; only without a usable snapshot are the articles read and their terms made again (the
 * slow part at 100k articles). Applying a change is idempotent (an article already in is not added
 * twice, one already out is not removed twice), which is what lets the snapshot, the changes and
 * this process's own posts overlap without harm.
 */
import { createHash } from 'node:crypto';
import { errorFields, type Logger } from './logger.js';
import type { Change, Storage } from './ports.js';
import { articleTerms } from './retrieval/index.js';
import { createTermIndex, restoreTermIndex, type TermIndex } from './termIndex.js';
import { ARABIC_STOP_WORDS, ENGLISH_STOP_WORDS } from './text/index.js';
import type { Article } from './types.js';

/** What the index is built from. */
export interface ArticleIndexOptions {
  readonly storage: Pick<Storage, 'articles' | 'changes' | 'indexSnapshots'>;
  readonly logger: Logger;
  /** How often the change sequence is read; 0 only when `catchUp` is called. */
  readonly pollMs: number;
  /** A snapshot is saved after this many applied changes; 0 only at close. */
  readonly snapshotEvery: number;
  /**
   * And not sooner than this after the last one: a snapshot of 100k articles is about 125 MB and
   * a quarter of a second of serialising, which a bulk import should not pay every few seconds.
   */
  readonly snapshotMinIntervalMs: number;
  /**
   * At close a snapshot is saved when at least this many changes are not in the stored one; fewer
   * replay at the next start in milliseconds, and a CLI command that posted one article should not
   * write the whole index.
   */
  readonly snapshotAtCloseAfter: number;
  /** Told when another process's article comes into the index (from the change feed). */
  readonly onAdded?: (article: Article) => void;
  /** Told when an article leaves the index, so caches of it can go too. */
  readonly onRemoved?: (id: string) => void;
  /** Told when the whole index was built again: any article may have gone. */
  readonly onReload?: () => void;
}

/** A process's index of every stored article, as of the last change it read. */
export interface ArticleIndex {
  /** The index to search now (a reload swaps in a new one, so do not keep it across awaits). */
  readonly terms: TermIndex;
  readonly size: number;
  has(id: string): boolean;
  /** Indexes an article this process has just stored, without waiting for its change to come round. */
  added(article: Article): void;
  /** Takes out an article this process has just deleted, without waiting for its change to come round. */
  removed(id: string): void;
  /** Reads and applies the changes made since the last read; rejects when the database cannot be read. */
  catchUp(): Promise<void>;
  /** Stops polling and saves a snapshot when enough is not in the stored one, so the next start is quick. */
  close(): Promise<void>;
}

// Changes read per query; a reader far behind pages through them.
const CHANGE_PAGE = 1_000;

// A fixed text whose terms change whenever the term pipeline does (tokenizer, folding, stemming,
// roots): a snapshot made by other code has other terms and must not be used.
const PROBE: Article = {
  id: 'probe',
  title: 'الأمريكية تفتتح المحطة — Rail workers strike',
  text:
    'رأس الريح – افتتح وزير الطاقة محطةً للطاقة الشمسية بقدرة 200 ميغاواط، وقالت الوزارة إنّ كلفتها بلغت 420 مليون دولار. ' +
    'LONDON (Reuters) - The drivers’ union said on Friday the gates closed in 25 minutes; talks resumed at 09:30.',
  language: 'ar',
  postedAt: '2026-01-01T00:00:00.000Z',
  postedBy: 'operator',
};

let format: string | undefined;

/** Names the snapshots this code can use: the index layout and a fingerprint of the term pipeline. */
export function indexFormat(): string {
  format ??= `terms-${createHash('sha256')
    .update(JSON.stringify([articleTerms(PROBE), [...ARABIC_STOP_WORDS].sort(), [...ENGLISH_STOP_WORDS].sort()]))
    .digest('hex')
    .slice(0, 16)}`;
  return format;
}

/** Opens the index: from the stored snapshot plus later changes, or from every stored article. */
export async function openArticleIndex(options: ArticleIndexOptions): Promise<ArticleIndex> {
  const { articles, changes, indexSnapshots } = options.storage;
  const logger = options.logger.child({ component: 'article-index' });
  let index: TermIndex = createTermIndex();
  let lastSeq = 0;
  let sinceSnapshot = 0;
  let savedAt = -Infinity;
  let closed = false;
  let saving: Promise<void> | undefined;
  let running: Promise<void> = Promise.resolve();
  let reads = 0;

  async function rebuild(): Promise<void> {
    const started = Date.now();
    // Read first: a change made during the scan is then applied after it, and applying twice is harmless.
    const seq = await changes.latestSeq();
    const fresh = createTermIndex();
    for await (const article of articles.scan()) fresh.add(article.id, articleTerms(article));
    index = fresh;
    lastSeq = seq;
    // A process that had to build the index leaves a snapshot behind, so the next one need not.
    sinceSnapshot = Math.max(sinceSnapshot, options.snapshotEvery);
    options.onReload?.();
    logger.info('search index built from the stored articles', { articles: fresh.size, ms: Date.now() - started });
  }

  async function apply(change: Change): Promise<void> {
    if (change.kind !== 'article') return;
    if (change.op === 'deleted') {
      if (index.remove(change.id)) options.onRemoved?.(change.id);
      return;
    }
    // Most often this process's own post coming round, or a change a snapshot already holds.
    if (change.op === 'new' && index.has(change.id)) return;
    const article = await articles.get(change.id);
    if (change.op === 'changed' || !article) {
      // Changed: taken out and put back with its new terms. Missing: deleted since; its own change follows.
      if (index.remove(change.id)) options.onRemoved?.(change.id);
    }
    if (article) {
      index.add(article.id, articleTerms(article));
      options.onAdded?.(article);
    }
  }

  async function readChanges(): Promise<void> {
    for (;;) {
      const batch = await changes.changesSince(lastSeq, CHANGE_PAGE);
      if (batch.length === 0) break;
      // A gap before the first change is either seqs never used or changes pruned before this
      // process read them; only the second (the oldest kept is past the gap) needs a reload.
      if (batch[0]!.seq > lastSeq + 1 && (await changes.oldestSeq()) > lastSeq + 1) {
        logger.warn('missed changes that were pruned; reloading the search index', { lastSeq, oldest: batch[0]!.seq });
        await rebuild();
        continue;
      }
      for (const change of batch) {
        await apply(change);
        lastSeq = change.seq;
        sinceSnapshot++;
      }
      if (batch.length < CHANGE_PAGE) break;
    }
    const due = options.snapshotEvery > 0 && sinceSnapshot >= options.snapshotEvery && Date.now() - savedAt >= options.snapshotMinIntervalMs;
    if (due && !closed) {
      // After the reply that triggered the read, not in its way.
      setImmediate(() => void save());
    }
  }

  function catchUp(): Promise<void> {
    // One read at a time, in order; a caller waits for the read that starts after its call.
    reads++;
    const next = running
      .catch(() => undefined)
      .then(readChanges)
      .finally(() => reads--);
    running = next;
    return next;
  }

  async function save(): Promise<void> {
    if (saving) return saving;
    const seq = lastSeq;
    // Taken at once: the bytes are the index exactly as of `seq` (plus this process's own posts, which replay as no-ops).
    const bytes = index.snapshot();
    sinceSnapshot = 0;
    savedAt = Date.now();
    saving = indexSnapshots
      .save(indexFormat(), { seq, bytes })
      .then((stored) => logger.debug('search index snapshot saved', { seq, bytes: bytes.byteLength, stored }))
      .catch((error: unknown) => logger.warn('search index snapshot not saved', errorFields(error)))
      .finally(() => (saving = undefined));
    return saving;
  }

  const started = Date.now();
  const snapshot = await indexSnapshots.load(indexFormat());
  let restored = false;
  if (snapshot) {
    try {
      index = restoreTermIndex(snapshot.bytes);
      lastSeq = snapshot.seq;
      restored = true;
    } catch (error) {
      logger.warn('stored search index snapshot unreadable; building the index again', errorFields(error));
    }
  }
  if (!restored) await rebuild();
  await catchUp();
  logger.info('search index ready', { articles: index.size, from: restored ? 'snapshot' : 'articles', seq: lastSeq, ms: Date.now() - started });

  const timer =
    options.pollMs > 0
      ? setInterval(() => {
          // A slow read (a reload) is not queued up behind by every tick that passes meanwhile.
          if (reads > 0) return;
          catchUp().catch((error: unknown) => logger.warn('changes not read; trying again', errorFields(error)));
        }, options.pollMs)
      : undefined;
  // The poll alone must not keep a process (a CLI command) alive.
  timer?.unref();
  // Woken by the database, a change is read at once; the poll stays as the safety net. A read
  // already queued starts after this wake-up, so it sees the change: no need for another.
  const unwatch = await changes
    .watch?.(() => {
      if (closed || reads > 1) return;
      catchUp().catch((error: unknown) => logger.warn('changes not read; trying again', errorFields(error)));
    })
    .catch((error: unknown) => {
      logger.warn('change notifications unavailable; polling only', errorFields(error));
      return undefined;
    });

  return {
    get terms() {
      return index;
    },
    get size() {
      return index.size;
    },
    has: (id) => index.has(id),
    added(article) {
      index.add(article.id, articleTerms(article));
    },
    removed(id) {
      if (index.remove(id)) options.onRemoved?.(id);
    },
    catchUp,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      unwatch?.();
      // Read what is new first (this process's own last posts among it), so the next start replays little.
      await catchUp().catch((error: unknown) => logger.warn('changes not read before saving the search index', errorFields(error)));
      await saving;
      if (sinceSnapshot >= Math.max(1, options.snapshotAtCloseAfter)) await save();
    },
  };
}
