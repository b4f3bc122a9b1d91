/**
 * A news desk over a fresh store with the default settings, for tests.
 */
import { loadConfig } from '../../src/config.js';
import type { Engine } from '../../src/core/engine.js';
import { silentLogger } from '../../src/core/logger.js';
import { openNewsDesk, type NewsDesk, type NewsDeskSettings } from '../../src/core/newsDesk.js';
import { openStore, type Store } from '../../src/core/store.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';

/** Default settings with one Telegram admin, `telegram:1`. */
export function testSettings(overrides: Partial<NewsDeskSettings> = {}): NewsDeskSettings {
  return { ...loadConfig({ ADMIN_IDS: 'telegram:1' }), ...overrides };
}

/** Opens a desk; the store is in memory unless a URL is given. */
export async function openTestDesk(
  options: { storeUrl?: string; store?: Store; engine?: Engine; settings?: Partial<NewsDeskSettings>; now?: () => Date } = {},
): Promise<{ desk: NewsDesk; store: Store }> {
  const store = options.store ?? (await openStore(options.storeUrl ?? 'memory://', silentLogger));
  const desk = await openNewsDesk({
    store,
    engine: options.engine ?? createExtractiveEngine(),
    logger: silentLogger,
    settings: testSettings(options.settings),
    ...(options.now ? { now: options.now } : {}),
  });
  return { desk, store };
}
