/**
 * The command layer's vocabulary: what a command is given (who asks, from which chat, with what
 * text or file), what it may call, and the view model it answers with. Nothing here knows a
 * platform's markup; the adapters render a View into HTML, embeds or plain text.
 */
import type { DeliveryReport } from '../core/delivery/index.js';
import type { Logger } from '../core/logger.js';
import type { NewsDesk } from '../core/newsDesk.js';
import type { Follows } from '../core/follows.js';
import type { LastAnswers } from '../core/lastAnswers.js';
import type { ChatRef, Subscriptions } from '../core/subscriptions.js';
import type { Actor } from '../core/types.js';
import type { Messages, UiLanguage } from '../i18n/messages.js';
import type { Sources } from '../sources/index.js';

/** Every command's name, as Telegram and Discord know it. */
export type CommandName =
  | 'help'
  | 'ask'
  | 'latest'
  | 'summary'
  | 'articles'
  | 'subscribe'
  | 'unsubscribe'
  | 'filter'
  | 'post'
  | 'delete'
  | 'status'
  | 'feed'
  | 'cancel'
  | 'quit'
  | 'follow'
  | 'following'
  | 'unfollow'
  | 'why';

/** The chat surfaces a command can be run from. */
export type Platform = 'telegram' | 'discord' | 'console';

/** One piece of what a command answers, in reading order. */
export type Block =
  /** A paragraph of plain text (it may hold several lines). */
  | { readonly kind: 'text'; readonly text: string }
  /** A heading line. */
  | { readonly kind: 'title'; readonly text: string }
  /** A labelled figure, such as "Delivery: pending 0 · sent 3". */
  | { readonly kind: 'field'; readonly label: string; readonly value: string }
  /** Rows that each name a record by its id (articles, feeds, per-article counts). */
  | { readonly kind: 'items'; readonly items: readonly Item[] }
  /** An article's summary: its title (linked when it has a URL), its id and one line per sentence. */
  | { readonly kind: 'summary'; readonly title: string; readonly articleId: string; readonly url?: string; readonly sentences: readonly string[] }
  /** An answer, the articles it cites and the notes that go with it (from the cache, a fallback engine). */
  | {
      readonly kind: 'answer';
      readonly text: string;
      readonly sourcesLabel: string;
      /** Before a citation's `also` list. */
      readonly alsoLabel: string;
      readonly citations: readonly CitationView[];
      readonly notes: readonly string[];
    };

/** A row of an `items` block. */
export interface Item {
  readonly id: string;
  readonly text: string;
  /** Secondary facts (a date, a language) a roomy surface such as the terminal shows. */
  readonly detail?: string;
}

/** A cited article. `quote` is present only when the answer text does not already hold it. */
export interface CitationView {
  readonly articleId: string;
  readonly title: string;
  readonly url?: string;
  readonly quote?: string;
  /** The other reports of the cited article's story, one per outlet (or per title, without one). */
  readonly also?: readonly { readonly name: string; readonly url?: string }[];
}

/** A button that runs a command again with other arguments (a page of /articles). */
export interface Button {
  readonly label: string;
  readonly command: string;
  readonly args: string;
}

/** How a command turned out: answered, refused (rights, bad input, unknown id), or failed (a bug or an outage). */
export type Outcome = 'ok' | 'refused' | 'failed';

/** A long text a surface can collect for a command given nothing (the console's paste mode, Discord's form). */
export interface Collect {
  readonly command: string;
  readonly title: string;
  readonly label: string;
}

/** A file that goes with an answer (an OPML export): sent as a document or attachment, written out by the CLI. */
export interface Attachment {
  readonly name: string;
  readonly contentType: string;
  readonly content: string;
}

/** What a command answers, platform-neutral. */
export interface View {
  readonly blocks: readonly Block[];
  readonly attachment?: Attachment;
  readonly buttons?: readonly Button[];
  readonly outcome: Outcome;
  /** Set when the surface is to collect a long text and run `collect.command` with it. */
  readonly collect?: Collect;
}

/** A file sent with a command; `size` is in bytes, when the platform says it before the download. */
export interface FileInput {
  readonly name: string;
  readonly size?: number;
  readonly contentType?: string;
  read(): Promise<string>;
}

/** What a command is given besides its name. */
export interface CommandInput {
  /** The words after the command (on Discord: the options, in the order they are declared). */
  readonly text: string;
  /** Values a surface keeps apart from the text (Discord's `url` option of /post). */
  readonly options?: Readonly<Record<string, string | undefined>>;
  readonly file?: FileInput;
}

/** The outcome of looking up a channel named in a private chat. */
export type ChannelLookup =
  | { readonly ok: true; readonly chat: ChatRef }
  | { readonly ok: false; readonly reason: 'not-found' | 'not-admin' | 'bot-cannot-post'; readonly ref: string };

/** The chat a command came from, with the facts only its platform can tell. */
export interface ChatSurface {
  readonly ref: ChatRef;
  /** Whether the asker may manage this chat (change its subscription): the platform's own rule. */
  canManage(): Promise<boolean>;
  /**
   * The channel `word` names, checked (the asker and the bot must be admins there), or undefined
   * when `word` names no channel. Only surfaces where a chat can act for a channel have it.
   */
  findChannel?(word: string): Promise<ChannelLookup | undefined>;
  /** In a post of a Discord forum channel: the forum itself, which can subscribe (each delivery a new post). */
  readonly forum?: ChatRef;
}

/** Who asks, where, and in which language. */
export interface CommandContext {
  readonly platform: Platform;
  readonly actor: Actor;
  /** The asker's language: their client's, else the bot's default. */
  readonly language: UiLanguage;
  readonly chat: ChatSurface;
  /** The surface can collect a long text for a command given nothing (see `Collect`). */
  readonly collects?: boolean;
  /** Shows an answer while it is written, on surfaces that edit a message as it grows. */
  readonly onPartial?: (textSoFar: string) => void;
}

/** The core a command may call; the parts a surface lacks are absent (the console without delivery). */
export interface CommandServices {
  readonly desk: NewsDesk;
  readonly subscriptions?: Subscriptions;
  readonly delivery?: { report(): Promise<DeliveryReport> };
  readonly sources?: Sources;
  /** Followed questions (they need delivery to send their updates). */
  readonly follows?: Follows;
  /** The last answer given in each chat, for /why. */
  readonly lastAnswers?: LastAnswers;
  /** Time zone of digest times that do not name one. */
  readonly timeZone: string;
  /** Largest article accepted, to refuse big files before downloading them. */
  readonly maxArticleChars: number;
  readonly logger: Logger;
}

/** Who may run a command: anyone, the bot's admins, or whoever may manage the chat. */
export type Right = 'anyone' | 'admin' | 'chat-admin';

/** A command option as Discord declares it; the text surfaces read the same values from the words. */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'attachment';
  readonly describe: (m: Messages) => string;
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly minValue?: number;
  readonly choices?: readonly { readonly name: string; readonly value: string }[];
  /** Offer article ids as the user types. */
  readonly autocomplete?: 'article';
  /** Kept out of the command text and passed in `CommandInput.options`. */
  readonly named?: boolean;
}

/** A subcommand (Discord's `/feed add`); on the text surfaces, the first word. */
export interface SubcommandSpec {
  readonly name: string;
  readonly describe: (m: Messages) => string;
  readonly options: readonly OptionSpec[];
}

/** Services a command needs; without them it does not exist on that surface. */
export type Need = 'subscriptions' | 'delivery' | 'sources' | 'follows' | 'lastAnswers';

/** One command, written once for every surface. */
export interface Command {
  /** The name Telegram and Discord know it by: lower-case Latin. */
  readonly name: CommandName;
  /** Other names it answers to: Latin ones everywhere (/start), Arabic ones on the console. */
  readonly aliases?: { readonly latin?: readonly string[]; readonly arabic: string };
  readonly right: Right;
  /** What a refusal for want of `right: 'admin'` names. */
  readonly adminAction?: 'post' | 'delete' | 'status' | 'feed';
  readonly needs?: readonly Need[];
  /** Only on these surfaces (all when absent). */
  readonly platforms?: readonly Platform[];
  /** Answered where only the asker sees it, where the platform can (admin housekeeping). */
  readonly private?: boolean;
  /** Takes long enough that the surface shows it is working (typing…). */
  readonly slow?: boolean;
  /** Given nothing, it collects a long text (see `Collect`). */
  readonly collects?: boolean;
  /** A file sent with it (or replied to with it) is its input, whatever its words (/feed import). */
  readonly takesFile?: boolean;
  readonly options: readonly OptionSpec[];
  readonly subcommands?: readonly SubcommandSpec[];
  /** One line for a command menu (Telegram's, Discord's description). */
  readonly menu: (m: Messages) => string;
  /** Its lines in /help, which differ where the surfaces take different input. */
  readonly help: (m: Messages, platform: Platform) => readonly string[];
  /** The language its reply is in; the asker's when absent (a question's own, for /ask). */
  readonly replyLanguage?: (input: CommandInput, ctx: CommandContext) => UiLanguage;
  run(input: CommandInput, ctx: CommandContext, services: CommandServices): Promise<View>;
}
