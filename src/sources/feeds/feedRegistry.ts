/**
 * The feeds admins follow, kept durably in the store's `feeds` namespace with what polling needs
 * between runs: validators for conditional requests, the failure count behind the backoff, and
 * the ids of the items already seen. Read from the store every time, never cached, so several
 * processes sharing one store see one list.
 */
import { createHash } from 'node:crypto';
import { actorId } from '../../core/articles.js';
import { AkhbarError } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import type { Actor, FeedRecord } from '../../core/types.js';
import { normalizeUrl } from '../../core/urls.js';

export type { FeedRecord } from '../../core/types.js';

/** The followed feeds. Adding and removing is for admins. */
export interface FeedRegistry {
  /** Follows `url` (admins only); throws INVALID_URL or FEED_EXISTS. Due for a check at once. */
  add(url: string, actor: Actor, init?: { readonly title?: string }): Promise<FeedRecord>;
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

/** The registry over `store`; `isAdmin` is the news desk's rule. */
export function createFeedRegistry(options: { store: Store; isAdmin: (actor: Actor) => boolean; now?: () => Date }): FeedRegistry {
  const feeds = options.store.namespace<FeedRecord>('feeds');
  const now = options.now ?? (() => new Date());

  async function all(): Promise<FeedRecord[]> {
    const records: FeedRecord[] = [];
    try {
      for await (const [, record] of options.store.entries<FeedRecord>('feeds')) records.push(record);
    } catch (error) {
      throw unavailable(error);
    }
    return records.sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id));
  }

  async function get(id: string): Promise<FeedRecord | undefined> {
    try {
      return await feeds.get(id);
    } catch (error) {
      throw unavailable(error);
    }
  }

  function requireAdmin(actor: Actor): void {
    if (!options.isAdmin(actor)) throw new AkhbarError({ code: 'NOT_ADMIN', actor: actorId(actor) });
  }

  async function findByUrl(url: string): Promise<FeedRecord | undefined> {
    const normalized = normalizeUrl(url);
    return normalized === undefined ? undefined : get(feedId(normalized));
  }

  async function find(ref: string): Promise<FeedRecord> {
    const wanted = ref.trim();
    const byUrl = await findByUrl(wanted);
    if (byUrl) return byUrl;
    const prefix = wanted.toLowerCase().replace(/^#/, '');
    if (prefix.length >= MIN_REF_LENGTH && /^[0-9a-f]+$/.test(prefix)) {
      const matches = (await all()).filter((record) => record.id.startsWith(prefix));
      if (matches.length === 1) return matches[0]!;
    }
    throw new AkhbarError({ code: 'FEED_NOT_FOUND', ref: wanted.slice(0, 200) });
  }

  return {
    async add(url, actor, init = {}) {
      requireAdmin(actor);
      const normalized = normalizeUrl(url);
      if (normalized === undefined) throw new AkhbarError({ code: 'INVALID_URL', url: url.slice(0, 200) });
      const id = feedId(normalized);
      if (await get(id)) throw new AkhbarError({ code: 'FEED_EXISTS', url: normalized, id });
      const at = now().toISOString();
      const title = init.title?.trim();
      const record: FeedRecord = {
        id,
        url: normalized,
        ...(title ? { title } : {}),
        addedBy: actorId(actor),
        addedAt: at,
        nextCheckAt: at,
        failures: 0,
        seen: [],
      };
      await write(record);
      return record;
    },

    list: all,
    find,
    findByUrl,

    async remove(ref, actor) {
      requireAdmin(actor);
      const record = await find(ref);
      try {
        await feeds.delete(record.id);
      } catch (error) {
        throw unavailable(error);
      }
      return record;
    },

    async save(record) {
      if (!(await get(record.id))) return false;
      await write(record);
      return true;
    },

    async due(at) {
      const iso = at.toISOString();
      return (await all()).filter((record) => record.nextCheckAt <= iso);
    },
  };

  async function write(record: FeedRecord): Promise<void> {
    try {
      await feeds.set(record.id, record);
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): AkhbarError {
  return new AkhbarError({ code: 'STORE_UNAVAILABLE', cause: String(error) }, { cause: error });
}
