/**
 * The `akhbar` command line: `start` (the bot, or the console without platform tokens), and
 * scriptable `post`, `list`, `summary`, `ask`, `delete`, `export`, `import`, `migrate`, `eval`,
 * each with `--json` where it prints results.
 */
import { constants, createReadStream, existsSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, errorFields } from './core/logger.js';
import { AkhbarError, isAkhbarError } from './core/errors.js';
import type { Actor } from './core/types.js';
import { detectLanguage } from './core/text/index.js';
import { errorText } from './i18n/errors.js';
import { messages, uiLanguage } from './i18n/messages.js';
import { viewText } from './adapters/console/view.js';
import { findCommand } from './commands/registry.js';
import { runCommand } from './commands/run.js';
import type { FileInput } from './commands/types.js';
import { answerView, articlePageView, postedView, summaryView } from './commands/views.js';
import { createExtractiveEngine } from './engines/extractive/index.js';
import { createEngine } from './engines/index.js';
import { openServices, runBot } from './main.js';
import { linkToPost } from './sources/index.js';
import { openStorage } from './storage/index.js';
import { exportStorage, importStorage } from './storage/backup.js';
// Modules only one command needs (discord.js, the old store's keyv adapters, the evaluators) are
// imported by that command, so `akhbar list` and the rest start without loading them.

const USAGE = `Usage: akhbar <command> [options]

Commands:
  start                                   run the bot (the local console when no platform token is set)
  post --file F [--title T] [--url U]     store an article (F may be - for standard input)
  post URL                                fetch the article at a link and store it
  feed add URL | feed list | feed remove ID   follow RSS/Atom feeds (new items are posted)
  feed resume ID                          poll a feed paused after too many failures again
  feed import FILE | feed export          follow the feeds of an OPML file (FILE may be -); write the followed feeds as OPML to standard output
  list [--offset N] [--limit N]           list stored articles, newest first
  summary [ID]                            summarise an article (the latest without ID)
  ask "QUESTION"                          answer from the stored articles, with citations
  delete ID                               delete an article, its summaries and its pending deliveries
  export                                  write a backup (JSON lines) to standard output: akhbar export > backup.jsonl
  import FILE                             read a backup into STORE_URL (FILE may be - for standard input)
  migrate --from URL                      copy what an older version stored (sqlite://… or redis://…) into STORE_URL
  eval qa --data F.jsonl [--distractors C.jsonl --limit N] --out P.jsonl [--engine embedded|openai]
  eval summary --data F.jsonl --out P.jsonl [--engine embedded|openai]
  discord-register                        register the Discord slash commands (in DISCORD_GUILD_ID, or globally)
Options: --json prints machine-readable JSON; --help prints this text.`;

const operator: Actor = { kind: 'operator' };
// The command line is the operator's, like the console; it subscribes nothing.
const CLI_CHAT = { platform: 'console', chatId: 'cli', kind: 'private' } as const;

/** Where a command reads and writes: the process's own streams and environment unless a caller (a test) passes others. */
export interface CliIo {
  /** Prints one result; a line break is added. */
  readonly out: (text: string) => void;
  /** Writes text as it is to the error stream: messages and log lines. */
  readonly err: (text: string) => void;
  /** The environment the configuration is read from; when given, no `.env` file is read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What `--file -` and `import -` read. */
  readonly stdin: NodeJS.ReadableStream;
}

type Streams = Pick<CliIo, 'out' | 'err' | 'stdin'>;

/** Runs the command line with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const out = io.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = io.err ?? ((text: string) => process.stderr.write(text));
  const streams: Streams = { out, err, stdin: io.stdin ?? process.stdin };
  const logTo = (line: string) => err(`${line}\n`);
  const usageError = (message: string) => usage(err, message);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        file: { type: 'string' },
        title: { type: 'string' },
        url: { type: 'string' },
        offset: { type: 'string' },
        limit: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        distractors: { type: 'string' },
        engine: { type: 'string' },
        from: { type: 'string' },
      },
    });
  } catch (error) {
    err(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command = 'start', ...rest] = positionals;
  if (values.help || command === 'help') {
    out(USAGE);
    return 0;
  }

  let config: Config;
  try {
    config = io.env ? loadConfig(io.env) : loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`akhbar: configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const language = config.defaultLanguage;
  const json = (value: unknown) => out(JSON.stringify(value, null, 2));

  try {
    switch (command) {
      case 'start':
        await runBot(config);
        return 0;
      case 'eval':
        return await runEval(config, rest[0], values, streams);
      case 'discord-register': {
        if (!config.discord) return usageError('discord-register needs DISCORD_TOKEN and DISCORD_APP_ID');
        const { token, appId, guildId, restApi } = config.discord;
        const { registerDiscordCommands } = await import('./adapters/discord/index.js');
        const count = await registerDiscordCommands({ token, appId, ...(guildId ? { guildId } : {}), ...(restApi ? { restApi } : {}) });
        out(`registered ${count} commands ${guildId ? `in server ${guildId}` : 'globally (they can take up to an hour to appear)'}`);
        return 0;
      }
      case 'export':
      case 'import':
      case 'migrate':
        return await runStorageCommand(config, command, rest, values, streams);
      case 'post':
      case 'feed':
      case 'list':
      case 'summary':
      case 'ask':
        break;
      case 'delete':
        if (!rest[0]) return usageError('delete needs the article id (akhbar list shows them)');
        break;
      default:
        err(`akhbar: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }

    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, {}, logTo);
    const services = await openServices(config, logger);
    try {
      const { desk } = services;
      const link = command === 'post' && !values.file ? linkToPost(rest[0]) : undefined;
      if (link) {
        const result = await services.sources.postLink(link, operator);
        const { id, title, language: articleLanguage, url } = result.article;
        if (values.json) json({ id, title, language: articleLanguage, url, duplicate: result.duplicate });
        else out(viewText(postedView(result, messages(uiLanguage(articleLanguage, language)))));
      } else if (command === 'feed') {
        const feed = findCommand('feed', 'console', services)!;
        const ctx = { platform: 'console', actor: operator, language, chat: { ref: CLI_CHAT, canManage: async () => true } } as const;
        const file = rest[0] === 'import' && rest[1] ? cliFile(rest[1], streams.stdin) : undefined;
        const input = file ? { text: 'import', file } : { text: rest.join(' ') };
        const view = await runCommand(feed, input, ctx, { ...services, timeZone: config.deliveryTimeZone, maxArticleChars: config.maxArticleChars });
        if (view.outcome !== 'ok') {
          err(`akhbar: ${viewText(view)}\n`);
          return 1;
        }
        // Only the document on standard output, so `akhbar feed export > feeds.opml` is a file a reader can import.
        if (view.attachment) out(view.attachment.content.trimEnd());
        else out(viewText(view));
      } else if (command === 'post') {
        if (!values.file) return usageError('post needs --file F (or --file - for standard input), or a link');
        const text = values.file === '-' ? await readAll(streams.stdin) : await readFile(values.file, 'utf8');
        const result = await desk.postArticle(
          { text, ...(values.title ? { title: values.title } : {}), ...(values.url ? { url: values.url } : {}) },
          operator,
        );
        const { id, title, language: articleLanguage } = result.article;
        if (values.json) json({ id, title, language: articleLanguage, duplicate: result.duplicate });
        else out(viewText(postedView(result, messages(uiLanguage(articleLanguage, language)))));
      } else if (command === 'list') {
        const limit = Math.max(1, toInt(values.limit, 20));
        const page = await desk.listArticles({ offset: toInt(values.offset, 0), limit });
        if (values.json) json(page);
        else out(viewText(articlePageView(page, Math.floor(page.offset / limit) + 1, messages(language), limit)));
      } else if (command === 'delete') {
        const article = await desk.deleteArticle(rest[0]!, operator);
        if (values.json) json({ id: article.id, title: article.title, deleted: true });
        else out(messages(language).deleted(article.id, article.title));
      } else if (command === 'summary') {
        const summary = await desk.summarize(rest[0]);
        if (values.json) {
          json({ articleId: summary.articleId, language: summary.language, text: summary.text, sentences: summary.sentences });
        } else out(viewText(summaryView(summary)));
      } else {
        const question = rest.join(' ');
        const answer = await desk.ask(question, operator);
        if (values.json) {
          json({ found: answer.found, text: answer.found ? answer.text : messages(uiLanguage(answer.language, language)).notInArticles, citations: answer.citations.map(({ articleId, title, quote }) => ({ articleId, title, quote })), cached: answer.cached, engine: answer.engine });
        } else out(viewText(answerView(answer, messages(uiLanguage(answer.language, uiLanguage(detectLanguage(question), language))))));
      }
      return 0;
    } finally {
      await services.close();
    }
  } catch (error) {
    if (isAkhbarError(error)) {
      const text = errorText(error, language);
      // An operator at a terminal can act on the reason (a wrong STORE_URL, a locked file); a chat user could not.
      const cause = isAkhbarError(error, 'STORE_UNAVAILABLE') ? error.details.cause : undefined;
      if (values.json) json({ error: error.code, message: text, ...(cause ? { cause } : {}) });
      else err(`akhbar: ${text}${cause ? `\n  (${cause})` : ''}\n`);
      return 1;
    }
    createLogger('error', {}, logTo).error('command failed', errorFields(error));
    err(`akhbar: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// The old keyv store lived in a SQLite file or in Redis (a memory one was gone with its process).
const LEGACY_STORE_FORMS = /^(sqlite:\/\/.+|rediss?:\/\/.+)$/;

/**
 * `export`, `import FILE` and `migrate --from URL`: they move records in and out of the database
 * without a news desk, so no search index is loaded or saved for them; running processes take up
 * what they wrote from the change feed.
 */
async function runStorageCommand(
  config: Config,
  command: 'export' | 'import' | 'migrate',
  rest: readonly string[],
  values: { json?: boolean; from?: string },
  { out, err, stdin }: Streams,
): Promise<number> {
  const m = messages(config.defaultLanguage);
  const usageError = (message: string) => usage(err, message);
  const refuse = (text: string) => {
    err(`akhbar: ${text}\n`);
    return 1;
  };
  const file = rest[0];
  let legacyUrl: string | undefined;
  if (command === 'import') {
    if (!file) return usageError('import needs the backup file (or - for standard input)');
    if (file !== '-' && !(await access(file, constants.R_OK).then(() => true, () => false))) return refuse(m.cannotReadFile(file));
  } else if (command === 'migrate') {
    legacyUrl = values.from;
    if (!legacyUrl || !LEGACY_STORE_FORMS.test(legacyUrl)) return usageError('migrate needs --from URL, the old store: sqlite://path.sqlite or redis://host:port');
    const path = legacyUrl.startsWith('sqlite://') ? legacyUrl.slice('sqlite://'.length) : undefined;
    // Opening a mistyped path would create an empty SQLite file there and "migrate" nothing.
    if (path !== undefined && !existsSync(path)) return refuse(m.cannotReadFile(path));
  }

  const storage = await openStorage(config.storeUrl);
  try {
    if (command === 'export') {
      for await (const line of exportStorage(storage)) out(line);
      return 0;
    }
    if (command === 'import') {
      // Read only now that the database is open: readline drops the lines (and the end) it reads
      // before anyone iterates, and opening PostgreSQL takes long enough for a file to be read whole.
      const lines = createInterface({ input: file === '-' ? stdin : createReadStream(file!, 'utf8'), crlfDelay: Infinity });
      const report = await importStorage(storage, lines);
      if (values.json) out(JSON.stringify(report));
      else out(m.importReport(report.articles.read, report.articles.added, report.subscriptions, report.feeds.read, report.feeds.added));
      return 0;
    }
    const [{ openStore }, { migrateLegacyStore }] = await Promise.all([import('./storage/legacy/keyvStore.js'), import('./storage/legacy/migrate.js')]);
    const legacy = await openStore(legacyUrl!, createLogger('warn', {}, (line) => err(`${line}\n`)));
    try {
      const report = await migrateLegacyStore(legacy, storage);
      if (values.json) out(JSON.stringify(report));
      else {
        const { articles, summaries, subscriptions, feeds, deliveries, fanOuts } = report;
        out(m.migrateReport(articles.read, articles.added, summaries.read, subscriptions.read, feeds.read, feeds.added, deliveries.pending, deliveries.queued, fanOuts.resumed));
      }
      return 0;
    } finally {
      await legacy.close();
    }
  } finally {
    await storage.close();
  }
}

async function runEval(
  config: Config,
  kind: string | undefined,
  values: { data?: string; out?: string; distractors?: string; limit?: string; engine?: string },
  { out, err }: Streams,
): Promise<number> {
  const usageError = (message: string) => usage(err, message);
  if (!values.data || !values.out) return usageError('eval needs --data F.jsonl and --out P.jsonl');
  if (values.engine !== undefined && values.engine !== 'embedded' && values.engine !== 'openai') return usageError('--engine takes embedded or openai');
  if (values.engine === 'openai' && !config.openai) return usageError('--engine openai needs OPENAI_API_KEY or OPENAI_BASE_URL');
  const engine = values.engine === 'embedded' || !config.openai ? createExtractiveEngine() : await createEngine(config, createLogger('warn', {}, (line) => err(`${line}\n`)));
  const { evaluateQa, evaluateSummaries } = await import('./eval/evaluate.js');
  if (kind === 'qa') {
    const report = await evaluateQa(config, engine, {
      data: values.data,
      out: values.out,
      ...(values.distractors ? { distractors: values.distractors } : {}),
      ...(values.limit ? { limit: toInt(values.limit, 0) } : {}),
    });
    out(JSON.stringify(report));
    return 0;
  }
  if (kind === 'summary') {
    out(JSON.stringify(await evaluateSummaries(config, engine, { data: values.data, out: values.out })));
    return 0;
  }
  return usageError('eval takes qa or summary');
}

function usage(err: (text: string) => void, message: string): number {
  err(`akhbar: ${message}\n\n${USAGE}\n`);
  return 2;
}

function toInt(raw: string | undefined, fallback: number): number {
  const parsed = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A file named on the command line (or - for standard input) as a command reads one; an unreadable path is FILE_UNREADABLE. */
function cliFile(path: string, stdin: NodeJS.ReadableStream): FileInput {
  return {
    name: path === '-' ? 'stdin' : path,
    async read() {
      if (path === '-') return readAll(stdin);
      return readFile(path, 'utf8').catch((error: unknown) => {
        throw new AkhbarError({ code: 'FILE_UNREADABLE', path, cause: error instanceof Error ? error.message : String(error) });
      });
    },
  };
}
