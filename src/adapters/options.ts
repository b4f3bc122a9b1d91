/**
 * What every chat adapter is given: the core services and the few settings it needs.
 */
import type { DeliveryService } from '../core/delivery/index.js';
import type { Logger } from '../core/logger.js';
import type { Follows } from '../core/follows.js';
import type { LastAnswers } from '../core/lastAnswers.js';
import type { NewsDesk } from '../core/newsDesk.js';
import type { Subscriptions } from '../core/subscriptions.js';
import type { Sources } from '../sources/index.js';
import type { UiLanguage } from '../i18n/messages.js';

/** The core, as a chat adapter sees it. */
export interface ChatAdapterOptions {
  readonly desk: NewsDesk;
  readonly subscriptions: Subscriptions;
  readonly delivery: DeliveryService;
  /** Followed questions (/follow); absent, the commands are not offered. */
  readonly follows?: Follows;
  /** Posting by link (and following feeds). */
  readonly sources: Sources;
  /** Each chat's last answer, for /why (in the database, so any process can explain it). */
  readonly lastAnswers: LastAnswers;
  readonly defaultLanguage: UiLanguage;
  /** Time zone of digest times. */
  readonly timeZone: string;
  /** Largest article accepted, to refuse big files before downloading them. */
  readonly maxArticleChars: number;
  readonly logger: Logger;
  /** Show answers as they are written, when the engine streams (the LLM engine). */
  readonly streamAnswers?: boolean;
  /** Least time between two edits of a streaming answer; the platform's pace when absent. */
  readonly streamEditIntervalMs?: number;
}
