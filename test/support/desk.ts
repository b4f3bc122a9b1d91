/**
 * A news desk over a fresh database with the default settings, for tests.
 */
import type Keyv from 'keyv';
import { loadConfig } from '../../src/config.js';
import type { CachedAnswer } from '../../src/core/answerCache.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger } from '../../src/core/logger.js';
import { openNewsDesk, type NewsDesk, type NewsDeskDeps, type NewsDeskSettings } from '../../src/core/newsDesk.js';
import type { Storage } from '../../src/core/ports.js';
import type { Telemetry } from '../../src/core/telemetry.js';
import { openStorage } from '../../src/storage/index.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';

/** Default settings with one Telegram admin, `telegram:1`. */
export function testSettings(overrides: Partial<NewsDeskSettings> = {}): NewsDeskSettings {
  return { ...loadConfig({ ADMIN_IDS: 'telegram:1' }), ...overrides };
}

/** What a test desk may be opened with; the database is a private memory one unless a URL or a handle is given. */
export interface TestDeskOptions {
  storeUrl?: string;
  storage?: Storage;
  answerCache?: Keyv<CachedAnswer>;
  engine?: Engine;
  settings?: Partial<NewsDeskSettings>;
  now?: () => Date;
  changePollMs?: number;
  snapshotEvery?: number;
  snapshotMinIntervalMs?: number;
  snapshotAtCloseAfter?: number;
  telemetry?: Telemetry;
  embeddings?: NewsDeskDeps['embeddings'];
}

/** Opens a desk over the given or a new database. */
export async function openTestDesk(options: TestDeskOptions = {}): Promise<{ desk: NewsDesk; storage: Storage }> {
  const storage = options.storage ?? (await openStorage(options.storeUrl ?? 'memory://'));
  const desk = await openNewsDesk({
    storage,
    engine: options.engine ?? createExtractiveEngine(),
    logger: silentLogger,
    settings: testSettings(options.settings),
    ...(options.answerCache ? { answerCache: options.answerCache } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.changePollMs !== undefined ? { changePollMs: options.changePollMs } : {}),
    ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(options.snapshotMinIntervalMs !== undefined ? { snapshotMinIntervalMs: options.snapshotMinIntervalMs } : {}),
    ...(options.snapshotAtCloseAfter !== undefined ? { snapshotAtCloseAfter: options.snapshotAtCloseAfter } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
  });
  return { desk, storage };
}
