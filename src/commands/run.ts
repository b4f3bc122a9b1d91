/**
 * Running a command: its right checked, then its own code, and any error turned into a view in the
 * asker's language. Refusals are expected (logged at info); anything else is a bug or an outage,
 * logged with its stack and answered with an apology, so one bad command never stops a surface.
 */
import { isAkhbarError } from '../core/errors.js';
import { errorFields, type Logger } from '../core/logger.js';
import { errorText } from '../i18n/errors.js';
import type { UiLanguage } from '../i18n/messages.js';
import { authorize } from './rights.js';
import type { Command, CommandContext, CommandInput, CommandServices, View } from './types.js';

/** Runs `command` for the asker in `ctx`; never rejects. */
export async function runCommand(command: Command, input: CommandInput, ctx: CommandContext, services: CommandServices): Promise<View> {
  try {
    await authorize(command, ctx, services);
    return await command.run(input, ctx, services);
  } catch (error) {
    return errorView(error, command.replyLanguage?.(input, ctx) ?? ctx.language, services.logger, { command: command.name, platform: ctx.platform });
  }
}

/** The refusal view when the asker may not run `command` here, else undefined (Discord answers it before deferring). */
export async function refusal(command: Command, ctx: CommandContext, services: CommandServices): Promise<View | undefined> {
  try {
    await authorize(command, ctx, services);
    return undefined;
  } catch (error) {
    return errorView(error, ctx.language, services.logger, { command: command.name, platform: ctx.platform });
  }
}

/** What the asker reads for an error: the domain reason, or an apology for a bug (which is logged). */
export function errorView(error: unknown, language: UiLanguage, logger: Logger, fields: Record<string, unknown> = {}): View {
  if (isAkhbarError(error, 'STORE_UNAVAILABLE')) {
    // An outage, not a refusal: what was asked was not done, and an operator must see it.
    logger.error('command not done: the database is unavailable', { ...fields, reason: error.message });
    return { blocks: [{ kind: 'text', text: errorText(error, language) }], outcome: 'refused' };
  }
  if (isAkhbarError(error)) {
    logger.info('command refused', { ...fields, reason: error.message });
    return { blocks: [{ kind: 'text', text: errorText(error, language) }], outcome: 'refused' };
  }
  logger.error('command failed', { ...fields, ...errorFields(error) });
  return { blocks: [{ kind: 'text', text: errorText(error, language) }], outcome: 'failed' };
}
