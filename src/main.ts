/**
 * Wiring from config: the store, the engine, the news desk, and the adapters that are switched on.
 */
import type { Config } from './config.js';
import { createLogger, errorFields, type Logger } from './core/logger.js';
import { openNewsDesk, type NewsDesk } from './core/newsDesk.js';
import { openStore, type Store } from './core/store.js';
import type { Engine } from './core/engine.js';
import { createExtractiveEngine } from './engines/extractive/index.js';
import { runConsole } from './adapters/console/index.js';

/** The running core of one process. */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: Store;
  readonly engine: Engine;
  readonly desk: NewsDesk;
  close(): Promise<void>;
}

/** Opens the store and the news desk described by `config`. */
export async function openServices(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<Services> {
  const store = await openStore(config.storeUrl, logger);
  try {
    const engine = createExtractiveEngine();
    const desk = await openNewsDesk({ store, engine, logger, settings: config });
    return { config, logger, store, engine, desk, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Runs the bot: the chat adapters that have tokens, or the local console when none do. */
export async function runBot(config: Config): Promise<void> {
  // In the console, routine log lines would interleave with the conversation.
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const services = await openServices(config, logger);
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', errorFields(reason)));
  try {
    await runConsole({ desk: services.desk, language: config.defaultLanguage, logger });
  } finally {
    await services.close();
  }
}
