/**
 * The in-memory backend: the same promises as SQLite, for tests and evaluation. Every operation
 * runs to its end without awaiting, so it is as atomic as a transaction. Handles opened on one
 * name (`memory://name`) share one database within the process, which is how the contract suite
 * plays two processes; `memory://` alone is a private database.
 */
import type { DeliveredAnswer, DeliveredSummary, DeliveryKind, DeliveryStatus, DeliveryTarget } from '../../core/delivery/types.js';
import type { Follow } from '../../core/follows.js';
import type { AnsweredQuestion } from '../../core/lastAnswers.js';
import type {
  Change,
  ChangeKind,
  DeliveryCounts,
  FollowRepo,
  NewDelivery,
  OutboxDelivery,
  OutboxItem,
  Storage,
  StorageOptions,
} from '../../core/ports.js';
import type { DeliveryStyle, Subscription } from '../../core/subscriptions.js';
import type { Article, ArticleListing, FeedRecord, Language, Summary } from '../../core/types.js';
import { assembleMessage, checkNewDelivery, isEmptyCount, needsStoredMessages, pageBounds, storeUnavailable, zeroCounts } from '../common.js';

interface DeliveryRow {
  seq: number;
  id: string;
  target: DeliveryTarget;
  kind: DeliveryKind;
  language: Language;
  items: OutboxItem[];
  style: DeliveryStyle | undefined;
  answer: DeliveredAnswer | undefined;
  status: DeliveryStatus;
  attempts: number;
  notBefore: number;
  claimedBy: string | undefined;
  claimedUntil: number;
  createdAt: string;
  finishedAt: number | undefined;
  lastError: string | undefined;
}

type Counts = ReturnType<typeof zeroCounts>;

interface FanOutRow {
  state: 'pending' | 'done';
  claimedBy: string | undefined;
  claimedUntil: number;
}

interface MemoryDatabase {
  outage: Error | undefined;
  readonly articles: Map<string, Article>;
  readonly articleByUrl: Map<string, string>;
  readonly summaries: Map<string, Summary>;
  readonly subscriptions: Map<string, Subscription>;
  readonly messages: Map<string, { summary: DeliveredSummary; createdAt: number }>;
  readonly deliveries: Map<string, DeliveryRow>;
  nextDeliverySeq: number;
  /** '' holds the totals; insertion order is the order articles were first queued. */
  readonly counters: Map<string, Counts>;
  readonly fanOuts: Map<string, FanOutRow>;
  readonly feeds: Map<string, FeedRecord>;
  readonly follows: Map<string, Follow>;
  readonly leases: Map<string, { owner: string; until: number }>;
  readonly changes: Change[];
  nextChangeSeq: number;
  snapshot: { format: string; seq: number; bytes: Uint8Array } | undefined;
  /** Article id, then model. */
  readonly vectors: Map<string, Map<string, Float32Array>>;
  /** platform:chatId → the chat's last answer and when it was given (epoch ms). */
  readonly lastAnswers: Map<string, { answered: AnsweredQuestion; at: number }>;
}

/** The memory backend's handle: the ports, plus a switch that plays an outage. */
export interface MemoryStorage extends Storage {
  readonly kind: 'memory';
  /** While on, every operation rejects with STORE_UNAVAILABLE, as a database that went away would. */
  simulateOutage(on: boolean): void;
}

const named = new Map<string, MemoryDatabase>();

function newDatabase(): MemoryDatabase {
  return {
    outage: undefined,
    articles: new Map(),
    articleByUrl: new Map(),
    summaries: new Map(),
    subscriptions: new Map(),
    messages: new Map(),
    deliveries: new Map(),
    nextDeliverySeq: 1,
    counters: new Map(),
    fanOuts: new Map(),
    feeds: new Map(),
    follows: new Map(),
    leases: new Map(),
    changes: [],
    nextChangeSeq: 1,
    snapshot: undefined,
    vectors: new Map(),
    lastAnswers: new Map(),
  };
}

const messageKey = (articleId: string, language: Language) => `${articleId}\u0000${language}`;

// Values are copied in and out, so a caller mutating what it got cannot change what is stored.
const copy = <T>(value: T): T => structuredClone(value);

/** Opens the database named in `memory://name`, or a private one for `memory://`. */
export function openMemoryStorage(name = '', options: StorageOptions = {}): MemoryStorage {
  const clock = options.clock ?? Date.now;
  let db: MemoryDatabase;
  if (name === '') db = newDatabase();
  else {
    db = named.get(name) ?? newDatabase();
    named.set(name, db);
  }
  let closed = false;

  // Every operation goes through here: a closed handle or a simulated outage fails like a driver would.
  function op<T>(operation: string, body: () => T): Promise<T> {
    try {
      if (closed) throw new Error('storage handle is closed');
      if (db.outage) throw db.outage;
      return Promise.resolve(body());
    } catch (error) {
      if (error instanceof RangeError) return Promise.reject(error);
      return Promise.reject(storeUnavailable(operation, error));
    }
  }

  function logChange(kind: ChangeKind, id: string, op: Change['op']): void {
    db.changes.push({ seq: db.nextChangeSeq++, kind, id, op, at: clock() });
  }

  function bump(articleIds: readonly string[], from: DeliveryStatus | undefined, to: DeliveryStatus | undefined): void {
    for (const key of ['', ...new Set(articleIds)]) {
      let counts = db.counters.get(key);
      if (!counts) {
        counts = zeroCounts();
        db.counters.set(key, counts);
      }
      if (from) counts[from]--;
      if (to) counts[to]++;
    }
  }

  function lookup(articleId: string, language: Language): DeliveredSummary | undefined {
    return db.messages.get(messageKey(articleId, language))?.summary;
  }

  function view(row: DeliveryRow): OutboxDelivery {
    return copy({
      id: row.id,
      target: row.target,
      kind: row.kind,
      language: row.language,
      items: row.items,
      message: assembleMessage(row.kind, row.language, row.items, lookup, row.style, row.answer),
      articleIds: row.items.map((item) => item.articleId),
      status: row.status,
      attempts: row.attempts,
      notBefore: row.notBefore,
      createdAt: row.createdAt,
      ...(row.claimedBy !== undefined ? { claimedBy: row.claimedBy } : {}),
      claimedUntil: row.claimedUntil,
      ...(row.status === 'sent' && row.finishedAt !== undefined ? { sentAt: new Date(row.finishedAt).toISOString() } : {}),
      ...(row.finishedAt !== undefined ? { finishedAt: row.finishedAt } : {}),
      ...(row.lastError !== undefined ? { lastError: row.lastError } : {}),
    });
  }

  function listing(article: Article): ArticleListing {
    return {
      id: article.id,
      title: article.title,
      language: article.language,
      postedAt: article.postedAt,
      ...(article.url === undefined ? {} : { url: article.url }),
      postedBy: article.postedBy,
      ...(article.storyId === undefined ? {} : { storyId: article.storyId }),
    };
  }

  // As HEADS_STORY in the SQL backends: it started its story, or the story's first article is gone.
  const headsStory = (article: Article): boolean => article.storyId === undefined || !db.articles.has(article.storyId);

  function newestFirst(): Article[] {
    return [...db.articles.values()].sort((a, b) => (a.postedAt < b.postedAt ? 1 : a.postedAt > b.postedAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  // Oldest first: the order /status lists an article's counts in.
  function byPostedTime(a: Article, b: Article): number {
    return a.postedAt < b.postedAt ? -1 : a.postedAt > b.postedAt ? 1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  }

  function pendingOf(predicate: (row: DeliveryRow) => boolean): DeliveryRow[] {
    return [...db.deliveries.values()].filter((row) => row.status === 'pending' && predicate(row));
  }

  function finish(row: DeliveryRow, status: DeliveryStatus, error: string | undefined): void {
    bump(row.items.map((i) => i.articleId), row.status, status);
    row.status = status;
    row.finishedAt = clock();
    row.claimedBy = undefined;
    row.claimedUntil = 0;
    if (error !== undefined) row.lastError = error;
  }

  const storage: MemoryStorage = {
    kind: 'memory',
    simulateOutage(on) {
      db.outage = on ? new Error('simulated outage') : undefined;
    },

    articles: {
      insert: (article, options = {}) =>
        op('article insert', () => {
          const existingId = db.articles.has(article.id) ? article.id : article.url === undefined ? undefined : db.articleByUrl.get(article.url);
          if (existingId !== undefined) return { article: copy(db.articles.get(existingId)!), inserted: false };
          db.articles.set(article.id, copy(article));
          if (article.url !== undefined) db.articleByUrl.set(article.url, article.id);
          if (options.queueFanOut && !db.fanOuts.has(article.id)) db.fanOuts.set(article.id, { state: 'pending', claimedBy: undefined, claimedUntil: 0 });
          logChange('article', article.id, 'new');
          return { article: copy(article), inserted: true };
        }),
      get: (id) => op('article read', () => copy(db.articles.get(id))),
      findByUrl: (url) =>
        op('article read', () => {
          const id = db.articleByUrl.get(url);
          return id === undefined ? undefined : copy(db.articles.get(id));
        }),
      findIdsByPrefix: (prefix, limit) =>
        op('article read', () => [...db.articles.keys()].filter((id) => id.startsWith(prefix)).sort().slice(0, limit)),
      delete: (id) =>
        op('article delete', () => {
          const article = db.articles.get(id);
          if (!article) return false;
          for (const row of pendingOf((r) => r.items.some((i) => i.articleId === id))) {
            const remaining = row.items.filter((i) => i.articleId !== id);
            if (row.kind !== 'digest' || remaining.length === 0) {
              bump(row.items.map((i) => i.articleId), 'pending', undefined);
              db.deliveries.delete(row.id);
            } else {
              // The digest stays pending for its other articles; only this article's count drops.
              db.counters.get(id)!.pending--;
              row.items = remaining;
            }
          }
          for (const [key, summary] of db.summaries) if (summary.articleId === id) db.summaries.delete(key);
          for (const key of [...db.messages.keys()]) if (key.startsWith(`${id}\u0000`)) db.messages.delete(key);
          db.fanOuts.delete(id);
          db.articles.delete(id);
          db.vectors.delete(id);
          if (article.url !== undefined) db.articleByUrl.delete(article.url);
          logChange('article', id, 'deleted');
          return true;
        }),
      list: (page) =>
        op('article list', () => {
          const { offset, limit } = pageBounds(page);
          const rows = page?.storiesOnly ? newestFirst().filter(headsStory) : newestFirst();
          return rows.slice(offset, offset + limit).map(listing);
        }),
      count: (options) => op('article count', () => (options?.storiesOnly ? [...db.articles.values()].filter(headsStory).length : db.articles.size)),
      languages: () => op('article languages', () => [...new Set([...db.articles.values()].map((article) => article.language))]),
      storyArticles: (storyIds) =>
        op('article list', () => {
          const wanted = new Set(storyIds);
          return newestFirst()
            .filter((a) => a.storyId !== undefined && wanted.has(a.storyId))
            .reverse()
            .map(listing);
        }),
      postedBetween: (after, until, limit) =>
        op('article list', () =>
          newestFirst()
            .filter((a) => a.postedAt > after && a.postedAt <= until)
            .slice(0, limit)
            .map(listing),
        ),
      async *scan(batchSize = 500) {
        let after = '';
        for (;;) {
          const batch = await op('article scan', () =>
            [...db.articles.keys()]
              .filter((id) => id > after)
              .sort()
              .slice(0, batchSize)
              .map((id) => copy(db.articles.get(id)!)),
          );
          yield* batch;
          if (batch.length < batchSize) return;
          after = batch[batch.length - 1]!.id;
        }
      },
    },

    summaries: {
      get: (key) => op('summary read', () => copy(db.summaries.get(key))),
      put: (key, summary) =>
        op('summary write', () => {
          db.summaries.set(key, copy(summary));
        }),
    },

    follows: memoryFollows(op, db.follows),

    subscriptions: {
      get: (id) => op('subscription read', () => copy(db.subscriptions.get(id))),
      put: (subscription) =>
        op('subscription write', () => {
          const existed = db.subscriptions.has(subscription.id);
          db.subscriptions.set(subscription.id, copy(subscription));
          logChange('subscription', subscription.id, existed ? 'changed' : 'new');
        }),
      update: (id, patch) =>
        op('subscription write', () => {
          const current = db.subscriptions.get(id);
          if (!current) return undefined;
          const next = { ...current, ...patch };
          if (patch.active === true) delete (next as { inactiveReason?: string }).inactiveReason;
          db.subscriptions.set(id, next);
          logChange('subscription', id, 'changed');
          return copy(next);
        }),
      delete: (id) =>
        op('subscription delete', () => {
          if (!db.subscriptions.delete(id)) return false;
          logChange('subscription', id, 'deleted');
          return true;
        }),
      list: (filter = {}) =>
        op('subscription list', () =>
          [...db.subscriptions.values()]
            .filter((s) => (filter.active === undefined || s.active === filter.active) && (filter.mode === undefined || s.mode === filter.mode))
            .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .map(copy),
        ),
      inChat: (chat) =>
        op('subscription list', () =>
          [...db.subscriptions.values()]
            .filter((s) => s.platform === chat.platform && s.chatId === chat.chatId)
            .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .map(copy),
        ),
      move: (fromId, to) =>
        op('subscription move', () => {
          if (!db.subscriptions.has(fromId)) return undefined;
          db.subscriptions.delete(fromId);
          const existed = db.subscriptions.has(to.id);
          db.subscriptions.set(to.id, copy(to));
          logChange('subscription', fromId, 'deleted');
          logChange('subscription', to.id, existed ? 'changed' : 'new');
          return copy(to);
        }),
    },

    outbox: {
      putMessage: (summary) =>
        op('message write', () => {
          db.messages.set(messageKey(summary.articleId, summary.language), { summary: copy(summary), createdAt: clock() });
        }),
      getMessage: (articleId, language) => op('message read', () => copy(lookup(articleId, language))),
      enqueue: (deliveries, options = {}) =>
        op('delivery enqueue', () => {
          for (const d of deliveries) {
            checkNewDelivery(d);
            if (!needsStoredMessages(d)) continue;
            for (const item of d.items) {
              if (!lookup(item.articleId, item.language)) throw new RangeError(`no message stored for ${item.articleId} in ${item.language}`);
            }
          }
          let added = 0;
          for (const d of deliveries) {
            if (db.deliveries.has(d.id)) continue;
            db.deliveries.set(d.id, rowOf(d, db.nextDeliverySeq++));
            bump(d.items.map((i) => i.articleId), undefined, 'pending');
            added++;
          }
          if (options.completesFanOut !== undefined) {
            db.fanOuts.set(options.completesFanOut, { state: 'done', claimedBy: undefined, claimedUntil: 0 });
          }
          return added;
        }),
      get: (id) =>
        op('delivery read', () => {
          const row = db.deliveries.get(id);
          return row ? view(row) : undefined;
        }),
      claim: (request) =>
        op('delivery claim', () => {
          const now = clock();
          const platforms = new Set(request.platforms);
          // Chats whose earliest pending delivery blocks the rest: not due yet, or held by someone else.
          const blocked = new Set<string>();
          const taken: DeliveryRow[] = [];
          for (const row of db.deliveries.values()) {
            if (taken.length >= request.limit) break;
            if (row.status !== 'pending' || !platforms.has(row.target.platform)) continue;
            const chat = `${row.target.platform}\u0000${row.target.chatId}`;
            const heldByOther = row.claimedUntil > now && row.claimedBy !== request.owner;
            const free = row.notBefore <= now && row.claimedUntil <= now;
            if (!blocked.has(chat) && free) taken.push(row);
            else if (row.notBefore > now || heldByOther) blocked.add(chat);
          }
          for (const row of taken) {
            row.claimedBy = request.owner;
            row.claimedUntil = now + request.leaseMs;
          }
          return taken.map(view);
        }),
      renew: (ids, owner, leaseMs) =>
        op('delivery renew', () => {
          const now = clock();
          const renewed: string[] = [];
          for (const id of ids) {
            const row = db.deliveries.get(id);
            if (row && row.status === 'pending' && row.claimedBy === owner && row.claimedUntil > now) {
              row.claimedUntil = now + leaseMs;
              renewed.push(id);
            }
          }
          return renewed;
        }),
      settle: (id, owner, outcome) =>
        op('delivery settle', () => {
          const row = db.deliveries.get(id);
          if (!row || row.status !== 'pending' || row.claimedBy !== owner) return false;
          switch (outcome.kind) {
            case 'sent': {
              row.attempts++;
              finish(row, 'sent', undefined);
              const gap = outcome.chatGapMs ?? 0;
              if (gap > 0) {
                // Only the next one: it blocks those after it in the chat until it is due.
                const next = pendingOf((r) => r.target.platform === row.target.platform && r.target.chatId === row.target.chatId)[0];
                if (next) next.notBefore = Math.max(next.notBefore, Math.ceil(clock() + gap));
              }
              break;
            }
            case 'failed':
              row.attempts++;
              finish(row, 'failed', outcome.error);
              break;
            case 'dead':
              finish(row, 'dead', outcome.reason);
              break;
            case 'retry':
              if (outcome.countAttempt) row.attempts++;
              row.notBefore = Math.ceil(outcome.notBefore);
              row.claimedBy = undefined;
              row.claimedUntil = 0;
              if (outcome.error !== undefined) row.lastError = outcome.error;
              break;
          }
          return true;
        }),
      killChat: (chat, reason) =>
        op('delivery update', () => {
          const rows = pendingOf((r) => r.target.platform === chat.platform && r.target.chatId === chat.chatId);
          for (const row of rows) finish(row, 'dead', reason);
          return rows.length;
        }),
      retarget: (from, toChatId) =>
        op('delivery update', () => {
          const rows = pendingOf((r) => r.target.platform === from.platform && r.target.chatId === from.chatId);
          for (const row of rows) row.target = { ...row.target, chatId: toChatId };
          return rows.length;
        }),
      counts: (options = {}) =>
        op('delivery counts', () => {
          const totals = { ...(db.counters.get('') ?? zeroCounts()) };
          const limit = options.articles ?? 10;
          // Map order is the order articles were first queued; posted time decides for stored ones.
          const rows = [...db.counters].filter(([key, counts]) => key !== '' && !isEmptyCount(counts));
          const stored = rows
            .filter(([id]) => db.articles.has(id))
            .sort(([a], [b]) => byPostedTime(db.articles.get(a)!, db.articles.get(b)!))
            .slice(-limit);
          // Articles deleted since fill what is left, as the oldest, most recently queued first in.
          const gone = rows.filter(([id]) => !db.articles.has(id));
          const byArticle = [...gone.slice(Math.max(0, gone.length - (limit - stored.length))), ...stored].map(([articleId, counts]) => ({ articleId, ...counts }));
          return { ...totals, byArticle } satisfies DeliveryCounts;
        }),
      oldestPendingAt: (platform) =>
        op('delivery read', () => {
          // Map order is queue order: rows are added by seq and never moved.
          for (const row of db.deliveries.values()) {
            if (row.status === 'pending' && row.target.platform === platform) return Date.parse(row.createdAt);
          }
          return undefined;
        }),
      recount: () =>
        op('delivery recount', () => {
          const totals = zeroCounts();
          const byArticle = new Map<string, Counts>();
          for (const row of db.deliveries.values()) {
            totals[row.status]++;
            for (const articleId of new Set(row.items.map((i) => i.articleId))) {
              const counts = byArticle.get(articleId) ?? zeroCounts();
              counts[row.status]++;
              byArticle.set(articleId, counts);
            }
          }
          return {
            ...totals,
            byArticle: [...byArticle].sort(([a], [b]) => (a < b ? -1 : 1)).map(([articleId, counts]) => ({ articleId, ...counts })),
          } satisfies DeliveryCounts;
        }),
      prune: (finishedBefore) =>
        op('delivery prune', () => {
          let pruned = 0;
          for (const row of [...db.deliveries.values()]) {
            if (row.status === 'pending' || row.finishedAt === undefined || row.finishedAt >= finishedBefore) continue;
            bump(row.items.map((i) => i.articleId), row.status, undefined);
            db.deliveries.delete(row.id);
            pruned++;
          }
          for (const [key, counts] of [...db.counters]) if (key !== '' && isEmptyCount(counts)) db.counters.delete(key);
          const needed = new Set<string>();
          for (const row of db.deliveries.values()) {
            if (row.status === 'pending') for (const item of row.items) needed.add(messageKey(item.articleId, item.language));
          }
          for (const [key, message] of [...db.messages]) if (message.createdAt < finishedBefore && !needed.has(key)) db.messages.delete(key);
          return pruned;
        }),
      requestFanOut: (articleId) =>
        op('fan-out request', () => {
          if (!db.fanOuts.has(articleId)) db.fanOuts.set(articleId, { state: 'pending', claimedBy: undefined, claimedUntil: 0 });
        }),
      claimFanOut: (articleId, owner, leaseMs) =>
        op('fan-out claim', () => {
          const now = clock();
          const row = db.fanOuts.get(articleId);
          if (!row || row.state !== 'pending' || (row.claimedUntil > now && row.claimedBy !== owner)) return false;
          row.claimedBy = owner;
          row.claimedUntil = now + leaseMs;
          return true;
        }),
      pendingFanOuts: (limit) =>
        op('fan-out read', () => {
          const now = clock();
          return [...db.fanOuts].filter(([, row]) => row.state === 'pending' && row.claimedUntil <= now).slice(0, limit).map(([id]) => id);
        }),
      fanOutState: (articleId) => op('fan-out read', () => db.fanOuts.get(articleId)?.state ?? 'none'),
    },

    feeds: {
      get: (id) => op('feed read', () => copy(db.feeds.get(id))),
      findByUrl: (url) => op('feed read', () => copy([...db.feeds.values()].find((f) => f.url === url))),
      insert: (record) =>
        op('feed insert', () => {
          if (db.feeds.has(record.id) || [...db.feeds.values()].some((f) => f.url === record.url)) return false;
          db.feeds.set(record.id, copy(record));
          logChange('feed', record.id, 'new');
          return true;
        }),
      insertMany: (records) =>
        op('feed insert', () => {
          const added: string[] = [];
          for (const record of records) {
            if (db.feeds.has(record.id) || [...db.feeds.values()].some((f) => f.url === record.url)) continue;
            db.feeds.set(record.id, copy(record));
            logChange('feed', record.id, 'new');
            added.push(record.id);
          }
          return added;
        }),
      update: (record) =>
        op('feed update', () => {
          if (!db.feeds.has(record.id)) return false;
          db.feeds.set(record.id, copy(record));
          logChange('feed', record.id, 'changed');
          return true;
        }),
      delete: (id) =>
        op('feed delete', () => {
          if (!db.feeds.delete(id)) return false;
          logChange('feed', id, 'deleted');
          return true;
        }),
      list: () =>
        op('feed list', () =>
          [...db.feeds.values()].sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(copy),
        ),
      due: (at) =>
        op('feed list', () =>
          [...db.feeds.values()]
            .filter((f) => f.nextCheckAt <= at && !f.paused)
            .sort((a, b) => (a.nextCheckAt < b.nextCheckAt ? -1 : a.nextCheckAt > b.nextCheckAt ? 1 : a.id < b.id ? -1 : 1))
            .map(copy),
        ),
    },

    leases: {
      acquire: (key, owner, ttlMs) =>
        op('lease acquire', () => {
          const now = clock();
          const current = db.leases.get(key);
          if (current && current.until > now) return false;
          db.leases.set(key, { owner, until: now + ttlMs });
          return true;
        }),
      renew: (key, owner, ttlMs) =>
        op('lease renew', () => {
          const now = clock();
          const current = db.leases.get(key);
          if (!current || current.owner !== owner || current.until <= now) return false;
          current.until = now + ttlMs;
          return true;
        }),
      release: (key, owner) =>
        op('lease release', () => {
          if (db.leases.get(key)?.owner === owner) db.leases.delete(key);
        }),
      holders: (prefix) =>
        op('lease read', () => {
          const now = clock();
          return [...db.leases.entries()]
            .filter(([key, lease]) => key.startsWith(prefix) && lease.until > now)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([key, lease]) => ({ key, owner: lease.owner, until: lease.until }));
        }),
    },

    changes: {
      changesSince: (seq, limit = 1_000) =>
        op('change read', () => db.changes.filter((c) => c.seq > seq).slice(0, limit).map((c) => ({ ...c }))),
      latestSeq: () => op('change read', () => db.nextChangeSeq - 1),
      oldestSeq: () => op('change read', () => db.changes[0]?.seq ?? 0),
      prune: (before) =>
        op('change prune', () => {
          const latest = db.changes[db.changes.length - 1];
          // The changes after the stored search-index snapshot stay: a starting process replays them onto it.
          const snapshotSeq = db.snapshot?.seq ?? Infinity;
          const keep = db.changes.filter((c) => c.at >= before || c === latest || c.seq > snapshotSeq);
          const removed = db.changes.length - keep.length;
          db.changes.splice(0, db.changes.length, ...keep);
          return removed;
        }),
    },

    lastAnswers: {
      put: (chat, answered) => op('last answer write', () => void db.lastAnswers.set(chat, { answered: copy(answered), at: clock() })),
      get: (chat) =>
        op('last answer read', () => {
          const row = db.lastAnswers.get(chat);
          return row ? copy(row.answered) : undefined;
        }),
      prune: (before) =>
        op('last answer prune', () => {
          let pruned = 0;
          for (const [chat, row] of db.lastAnswers) {
            if (row.at < before) {
              db.lastAnswers.delete(chat);
              pruned++;
            }
          }
          return pruned;
        }),
    },
    vectors: {
      put: (articleId, model, vector) =>
        op('vector write', () => {
          if (!db.articles.has(articleId)) return;
          const byModel = db.vectors.get(articleId) ?? new Map<string, Float32Array>();
          byModel.set(model, vector.slice());
          db.vectors.set(articleId, byModel);
        }),
      load: (model, articleIds) =>
        op('vector read', () => {
          const found = new Map<string, Float32Array>();
          for (const id of articleIds ?? db.vectors.keys()) {
            const vector = db.vectors.get(id)?.get(model);
            if (vector) found.set(id, vector.slice());
          }
          return found;
        }),
      missing: (model, limit) =>
        op('vector read', () =>
          [...db.articles.keys()]
            .filter((id) => !db.vectors.get(id)?.has(model))
            .sort()
            .slice(0, limit),
        ),
    },

    indexSnapshots: {
      load: (format) =>
        op('index snapshot read', () =>
          db.snapshot?.format === format ? { seq: db.snapshot.seq, bytes: db.snapshot.bytes.slice() } : undefined,
        ),
      save: (format, snapshot) =>
        op('index snapshot write', () => {
          if (db.snapshot && db.snapshot.format === format && db.snapshot.seq > snapshot.seq) return false;
          db.snapshot = { format, seq: snapshot.seq, bytes: snapshot.bytes.slice() };
          return true;
        }),
    },

    ping: () => op('ping', () => undefined),

    async close() {
      closed = true;
    },
  };

  return storage;
}

/** Followed questions in a Map; `op` makes each call fail like the rest of the backend. */
function memoryFollows(op: <T>(operation: string, body: () => T) => Promise<T>, follows: Map<string, Follow>): FollowRepo {
  const ordered = (list: Follow[]) => list.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(copy);
  return {
    add: (follow, maxPerChat) =>
      op('follow write', () => {
        if (follows.has(follow.id)) return 'exists' as const;
        const inChat = [...follows.values()].filter((f) => f.platform === follow.platform && f.chatId === follow.chatId).length;
        if (inChat >= maxPerChat) return 'full' as const;
        follows.set(follow.id, copy(follow));
        return 'added' as const;
      }),
    get: (id) => op('follow read', () => copy(follows.get(id))),
    list: (chat) => op('follow list', () => ordered([...follows.values()].filter((f) => f.platform === chat.platform && f.chatId === chat.chatId))),
    matching: (terms) =>
      op('follow list', () => {
        const wanted = new Set(terms);
        return ordered([...follows.values()].filter((f) => f.terms.some((term) => wanted.has(term))));
      }),
    setFingerprint: (id, fingerprint, updatedAt) =>
      op('follow write', () => {
        const current = follows.get(id);
        if (!current) return false;
        follows.set(id, { ...current, fingerprint, updatedAt });
        return true;
      }),
    delete: (id) => op('follow delete', () => follows.delete(id)),
    deleteChat: (chat) =>
      op('follow delete', () => {
        const gone = [...follows.values()].filter((f) => f.platform === chat.platform && f.chatId === chat.chatId);
        for (const f of gone) follows.delete(f.id);
        return gone.length;
      }),
    moveChat: (from, toChatId) =>
      op('follow write', () => {
        const moving = [...follows.values()].filter((f) => f.platform === from.platform && f.chatId === from.chatId);
        for (const f of moving) follows.set(f.id, { ...f, chatId: toChatId });
        return moving.length;
      }),
  };
}

function rowOf(d: NewDelivery, seq: number): DeliveryRow {
  return {
    seq,
    id: d.id,
    target: {
      platform: d.target.platform,
      chatId: d.target.chatId,
      kind: d.target.kind,
      ...(d.target.threadId !== undefined ? { threadId: d.target.threadId } : {}),
      ...(d.target.forum ? { forum: true } : {}),
    },
    kind: d.kind,
    language: d.language,
    items: d.items.map((i) => ({ articleId: i.articleId, language: i.language })),
    style: d.style ? { format: d.style.format, previews: d.style.previews } : undefined,
    answer: d.answer === undefined ? undefined : copy(d.answer),
    status: 'pending',
    attempts: 0,
    notBefore: d.notBefore ?? 0,
    claimedBy: undefined,
    claimedUntil: 0,
    createdAt: d.createdAt,
    finishedAt: undefined,
    lastError: undefined,
  };
}

/** Forgets every named memory database (tests that reuse names start clean). */
export function resetNamedMemoryStorage(): void {
  named.clear();
}
