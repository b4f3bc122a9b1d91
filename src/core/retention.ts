/**
 * Retention: what the database keeps bounded over time. Finished deliveries (and the messages no
 * pending delivery needs) go after DELIVERY_RETENTION_DAYS; the change log after at least a week;
 * and, for operators who keep a rolling window, articles posted before ARTICLE_RETENTION_DAYS are
 * deleted through the news desk, exactly as an admin's /delete would delete them. Each chat's last
 * answer (kept for /why) goes after a week.
 *
 * Every process runs the job on a timer, but a lease in the database lets one of them do it per
 * period, so several instances on one database do not all prune at once.
 */
import { isAkhbarError } from './errors.js';
import { errorFields, type Logger } from './logger.js';
import type { NewsDesk } from './newsDesk.js';
import type { Storage } from './ports.js';
import type { Actor } from './types.js';

/** What the retention job is built from. */
export interface RetentionOptions {
  readonly storage: Pick<Storage, 'articles' | 'outbox' | 'changes' | 'leases' | 'lastAnswers'>;
  readonly desk: Pick<NewsDesk, 'deleteArticle'>;
  readonly logger: Logger;
  /** Unique per process (the lease's owner). */
  readonly owner: string;
  /** Finished deliveries older than this many days are pruned. */
  readonly deliveryRetentionDays: number;
  /** Articles posted more than this many days ago are deleted; 0 keeps every article. */
  readonly articleRetentionDays: number;
  /** How often the job runs (and so how often any process does it); 0 only when `run` is called, still once an hour at most. Default one hour. */
  readonly everyMs?: number;
  /** Epoch ms. */
  readonly clock?: () => number;
}

/** What one run removed; undefined fields when another process held the lease. */
export interface RetentionReport {
  readonly deliveries: number;
  readonly changes: number;
  readonly articles: number;
  readonly lastAnswers: number;
}

/** The running job. */
export interface RetentionJob {
  /** Runs once now, when no process ran it in the last period; undefined when another did. */
  run(): Promise<RetentionReport | undefined>;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LEASE_KEY = 'retention';
// A process that was stopped (an upgrade, a crashed host) for less than this catches up on the
// changes it missed by replaying them; one behind the pruned log has to rebuild its search index
// from every stored article, which is correct but takes minutes at 100k articles. A week covers a
// long weekend of downtime; the log holds only small rows, so keeping it longer costs little.
const MIN_CHANGE_RETENTION_MS = 7 * DAY_MS;
const ARTICLE_BATCH = 100;
// Not tuned: /why is asked right after an answer; a week covers a reader who comes back to it.
const LAST_ANSWER_RETENTION_MS = 7 * DAY_MS;
// Retention acts for the operator who set the window, not for any chat user.
const RETENTION_ACTOR: Actor = { kind: 'operator' };

/** Starts the retention job: a first run at once, then one per period. */
export function startRetention(options: RetentionOptions): RetentionJob {
  const { storage, desk, owner } = options;
  const clock = options.clock ?? Date.now;
  const everyMs = options.everyMs ?? HOUR_MS;
  const logger = options.logger.child({ component: 'retention' });
  let running: Promise<RetentionReport | undefined> | undefined;

  async function deleteOldArticles(now: number): Promise<number> {
    if (options.articleRetentionDays <= 0) return 0;
    // Strictly before the window: an article posted exactly at its edge is still inside it.
    const before = new Date(now - options.articleRetentionDays * DAY_MS - 1).toISOString();
    let deleted = 0;
    for (;;) {
      const batch = await storage.articles.postedBetween('', before, ARTICLE_BATCH);
      let progressed = false;
      for (const listing of batch) {
        try {
          await desk.deleteArticle(listing.id, RETENTION_ACTOR);
          deleted++;
          progressed = true;
        } catch (error) {
          // Deleted by someone else meanwhile: that is the outcome wanted. Anything else stops the run.
          if (!isAkhbarError(error, 'ARTICLE_NOT_FOUND') && !isAkhbarError(error, 'NO_ARTICLES')) throw error;
        }
      }
      if (batch.length < ARTICLE_BATCH || !progressed) return deleted;
    }
  }

  async function once(): Promise<RetentionReport | undefined> {
    // Held for most of a period and never given back, so the next process to try in this period
    // (a restart included) finds it taken; it runs out before the next period's run.
    if (!(await storage.leases.acquire(LEASE_KEY, owner, Math.max(1, (everyMs || HOUR_MS) - 60_000)))) return undefined;
    const now = clock();
    const deliveries = await storage.outbox.prune(now - options.deliveryRetentionDays * DAY_MS);
    const changes = await storage.changes.prune(now - Math.max(MIN_CHANGE_RETENTION_MS, options.deliveryRetentionDays * DAY_MS));
    const articles = await deleteOldArticles(now);
    const lastAnswers = await storage.lastAnswers.prune(now - LAST_ANSWER_RETENTION_MS);
    const report = { deliveries, changes, articles, lastAnswers };
    if (deliveries + changes + articles + lastAnswers > 0) logger.info('old records removed', report);
    return report;
  }

  function run(): Promise<RetentionReport | undefined> {
    running ??= once().finally(() => (running = undefined));
    return running;
  }

  const runLogged = () => void run().catch((error: unknown) => logger.warn('retention run failed; the next one tries again', errorFields(error)));
  const timer = everyMs > 0 ? setInterval(runLogged, everyMs) : undefined;
  // Pruning must not keep a process alive, nor hold up its start.
  timer?.unref();
  if (everyMs > 0) setImmediate(runLogged);

  return {
    run,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
