/**
 * The context flavor of akhbar's Telegram bot: every update carries its asker (the actor and the
 * language they read), set once by a middleware, so no handler works them out again.
 */
import type { Context, MiddlewareFn } from 'grammy';
import type { Actor } from '../../core/types.js';
import { uiLanguage, type UiLanguage } from '../../i18n/messages.js';

/** Who sent an update, and the language to answer them in. */
export interface Asker {
  readonly actor: Actor;
  readonly language: UiLanguage;
}

/** The flavor: `ctx.asker`. */
export interface AskerFlavor {
  asker: Asker;
}

/** The context every akhbar handler gets. */
export type AkhbarContext = Context & AskerFlavor;

/** Sets `ctx.asker` from the sender (a channel post acts as its channel) and their client's language. */
export function askerFlavor(defaultLanguage: UiLanguage): MiddlewareFn<AkhbarContext> {
  return async (ctx, next) => {
    const language = uiLanguage(ctx.from?.language_code, defaultLanguage);
    ctx.asker = { language, actor: { kind: 'user', platform: 'telegram', userId: String(ctx.from?.id ?? ctx.chat?.id ?? 0), language } };
    await next();
  };
}
