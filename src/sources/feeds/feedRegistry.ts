/**
 * The feeds admins follow, kept in the database with what polling needs between runs: validators
 * for conditional requests, the failure count behind the backoff, and the ids of the items already
 * seen. Read from the database every time, never cached, so several processes see one list.
 */
import { createHash } from 'node:crypto';
import { actorId } from '../../core/articles.js';
import { AkhbarError } from '../../core/errors.js';
import type { FeedRepo } from '../../core/ports.js';
import type { Actor, FeedChat, FeedRecord } from '../../core/types.js';
import { normalizeUrl } from '../../core/urls.js';

export type { FeedRecord } from '../../core/types.js';

/** What a new feed starts with besides its URL. */
export interface NewFeed {
  readonly title?: string;
  readonly siteUrl?: string;
  /** The chat it is added from: where the admins are told if it is paused. */
  readonly addedIn?: FeedChat;
}

/** A feed to add among many (an OPML import). */
export interface FeedEntry extends NewFeed {
  readonly url: string;
}

/** What adding many feeds did. */
export interface AddManyResult {
  /** Followed now, in the order given. */
  readonly added: readonly FeedRecord[];
  /** Followed already (by URL), kept as they were. */
  readonly existing: readonly FeedRecord[];
}

/** The followed feeds. Adding and removing is for admins. */
export interface FeedRegistry {
  /** Follows `url` (admins only); throws INVALID_URL or FEED_EXISTS. Due for a check at once. */
  add(url: string, actor: Actor, init?: NewFeed): Promise<FeedRecord>;
  /**
   * Follows every entry not followed yet, in one step (admins only): all are stored or none. Throws
   * INVALID_URL naming the first entry that is no http(s) URL, before anything is stored.
   */
  addMany(entries: readonly FeedEntry[], actor: Actor): Promise<AddManyResult>;
  /** Every followed feed, oldest first. Not restricted: the adapter decides who may see the list. */
  list(): Promise<FeedRecord[]>;
  /** The feed with this id, unique id prefix (4+ characters) or URL; throws FEED_NOT_FOUND. */
  find(ref: string): Promise<FeedRecord>;
  /** The feed at this URL, if followed. */
  findByUrl(url: string): Promise<FeedRecord | undefined>;
  /** Stops following a feed (admins only); returns what was removed. */
  remove(ref: string, actor: Actor): Promise<FeedRecord>;
  /** Writes a polled feed back; false (and nothing written) when it was removed meanwhile. */
  save(record: FeedRecord): Promise<boolean>;
  /** Feeds whose next check is at or before `now`. */
  due(now: Date): Promise<FeedRecord[]>;
}

/** How many item ids a feed remembers: enough for any feed's current items plus what dropped off lately. */
export const MAX_SEEN = 500;
const ID_LENGTH = 8;
const MIN_REF_LENGTH = 4;

/** The short id of the feed at a normalised URL. */
export function feedId(normalizedUrl: string): string {
  return createHash('sha256').update(normalizedUrl).digest('hex').slice(0, ID_LENGTH);
}

/**
 * `current` (the ids in the feed now, in feed order) followed by the older seen ids, bounded.
 * The bound never drops an id the feed still carries, so a long feed cannot re-post its tail.
 */
export function rememberSeen(previous: readonly string[], current: readonly string[]): string[] {
  const merged = [...new Set([...current, ...previous])];
  return merged.slice(0, Math.max(MAX_SEEN, new Set(current).size));
}

/** The registry over the database's feeds; `isAdmin` is the news desk's rule. */
export function createFeedRegistry(options: { feeds: FeedRepo; isAdmin: (actor: Actor) => boolean; now?: () => Date }): FeedRegistry {
  const { feeds } = options;
  const now = options.now ?? (() => new Date());

  function requireAdmin(actor: Actor): void {
    if (!options.isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
  }

  // By URL, not by the id the URL hashes to: a feed that moved keeps the id of its first address.
  async function findByUrl(url: string): Promise<FeedRecord | undefined> {
    const normalized = normalizeUrl(url);
    return normalized === undefined ? undefined : feeds.findByUrl(normalized);
  }

  function newRecord(normalized: string, actor: Actor, init: NewFeed, at: string): FeedRecord {
    const title = init.title?.trim();
    return {
      id: feedId(normalized),
      url: normalized,
      ...(title ? { title } : {}),
      ...(init.siteUrl ? { siteUrl: init.siteUrl } : {}),
      addedBy: actorId(actor),
      addedAt: at,
      ...(init.addedIn ? { addedIn: init.addedIn } : {}),
      nextCheckAt: at,
      failures: 0,
      seen: [],
    };
  }

  async function find(ref: string): Promise<FeedRecord> {
    const wanted = ref.trim();
    const byUrl = await findByUrl(wanted);
    if (byUrl) return byUrl;
    const prefix = wanted.toLowerCase().replace(/^#/, '');
    if (prefix.length >= MIN_REF_LENGTH && /^[0-9a-f]+$/.test(prefix)) {
      const matches = (await feeds.list()).filter((record) => record.id.startsWith(prefix));
      if (matches.length === 1) return matches[0]!;
    }
    throw new AkhbarError({ code: 'FEED_NOT_FOUND', ref: wanted.slice(0, 200) });
  }

  return {
    async add(url, actor, init = {}) {
      requireAdmin(actor);
      const normalized = normalizeUrl(url);
      if (normalized === undefined) throw new AkhbarError({ code: 'INVALID_URL', url: url.slice(0, 200) });
      const record = newRecord(normalized, actor, init, now().toISOString());
      // Decided in the database: two admins adding one feed at once follow it once.
      if (!(await feeds.insert(record))) throw new AkhbarError({ code: 'FEED_EXISTS', url: normalized, id: record.id });
      return record;
    },

    async addMany(entries, actor) {
      requireAdmin(actor);
      const at = now().toISOString();
      const records = new Map<string, FeedRecord>();
      for (const entry of entries) {
        const normalized = normalizeUrl(entry.url);
        if (normalized === undefined) throw new AkhbarError({ code: 'INVALID_URL', url: entry.url.slice(0, 200) });
        if (!records.has(normalized)) records.set(normalized, newRecord(normalized, actor, entry, at));
      }
      const followed = new Map((await feeds.list()).map((f) => [f.url, f]));
      const fresh = [...records.values()].filter((r) => !followed.has(r.url));
      const addedIds = new Set(await feeds.insertMany(fresh));
      const added = fresh.filter((r) => addedIds.has(r.id));
      // Existing: followed before, or added by someone else between the list and the insert.
      const existing = await Promise.all([...records.values()].filter((r) => !addedIds.has(r.id)).map(async (r) => followed.get(r.url) ?? (await feeds.findByUrl(r.url)) ?? r));
      return { added, existing };
    },

    list: () => feeds.list(),
    find,
    findByUrl,

    async remove(ref, actor) {
      requireAdmin(actor);
      const record = await find(ref);
      await feeds.delete(record.id);
      return record;
    },

    save: (record) => feeds.update(record),
    due: (at) => feeds.due(at.toISOString()),
  };
}
