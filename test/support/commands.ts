/**
 * Running commands as a user would, without any chat platform: the core over a memory database,
 * an asker on a surface, and a view flattened to the text it shows.
 */
import { findCommand } from '../../src/commands/registry.js';
import { runCommand } from '../../src/commands/run.js';
import type { ChannelLookup, CommandContext, CommandInput, CommandServices, Platform, View } from '../../src/commands/types.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import type { Storage } from '../../src/core/ports.js';
import { createSubscriptions } from '../../src/core/subscriptions.js';
import type { Actor } from '../../src/core/types.js';
import type { UiLanguage } from '../../src/i18n/messages.js';
import { startCore } from './services.js';
import { fakeSender } from './fakeSender.js';

/** Who asks, from where. */
export interface AskerOptions {
  platform?: Platform;
  admin?: boolean;
  language?: UiLanguage;
  /** Whether the asker manages the chat; true by default (a private chat). */
  managesChat?: boolean;
  chatId?: string;
  findChannel?: (word: string) => Promise<ChannelLookup | undefined>;
  collects?: boolean;
  onPartial?: (text: string) => void;
}

export const ADMIN_ID = '1';

/** A command context for a test asker. */
export function asker(options: AskerOptions = {}): CommandContext {
  const platform = options.platform ?? 'telegram';
  const language = options.language ?? 'en';
  const actor: Actor = platform === 'console' ? { kind: 'operator' } : { kind: 'user', platform, userId: options.admin ? ADMIN_ID : '2', language };
  const chatId = options.chatId ?? '100';
  return {
    platform,
    actor,
    language,
    chat: {
      ref: { platform, chatId, kind: 'private' },
      canManage: async () => options.managesChat ?? true,
      ...(options.findChannel ? { findChannel: options.findChannel } : {}),
    },
    ...(options.collects ? { collects: true } : {}),
    ...(options.onPartial ? { onPartial: options.onPartial } : {}),
  };
}

/** The services of a test core, on every platform at once: each platform's admin is user 1. */
export async function commandServices(options: { logger?: Logger; withoutDelivery?: boolean } = {}): Promise<CommandServices & { storage: Storage; stop(): Promise<void> }> {
  const core = await startCore({
    adminId: ['telegram', 'discord'].map((p) => `${p}:${ADMIN_ID}`).join(','),
    sender: fakeSender('telegram'),
    limits: { perSecond: 1000, chatIntervalMs: { private: 0, group: 0, channel: 0 } },
  });
  return {
    desk: core.desk,
    ...(options.withoutDelivery ? {} : { subscriptions: createSubscriptions(core.storage.subscriptions, 'UTC'), delivery: core.delivery }),
    sources: core.sources,
    ...(options.withoutDelivery ? {} : { follows: core.follows }),
    lastAnswers: core.lastAnswers,
    storage: core.storage,
    timeZone: 'UTC',
    maxArticleChars: core.maxArticleChars,
    logger: options.logger ?? silentLogger,
    async stop() {
      await core.sources.stop();
      await core.delivery.stop();
    },
  };
}

/** Runs `/name text` as the asker would on their platform. */
export async function run(services: CommandServices, ctx: CommandContext, name: string, input: string | CommandInput = ''): Promise<View> {
  const command = findCommand(name, ctx.platform, services);
  if (!command) throw new Error(`no command ${name} on ${ctx.platform}`);
  return runCommand(command, typeof input === 'string' ? { text: input } : input, ctx, services);
}

/** The words a view shows, one block or row per line, without any platform's markup. */
export function shown(view: View): string {
  return view.blocks
    .flatMap((block) => {
      switch (block.kind) {
        case 'text':
        case 'title':
          return [block.text];
        case 'field':
          return [`${block.label}: ${block.value}`];
        case 'items':
          return block.items.map((item) => `${item.id} ${item.text}`);
        case 'summary':
          return [`${block.title} [${block.articleId}]`, ...block.sentences.map((s) => `• ${s}`)];
        case 'answer':
          return [block.text, ...block.citations.map((c) => `${block.sourcesLabel}: ${c.title} [${c.articleId}]`), ...block.notes];
      }
    })
    .join('\n');
}
