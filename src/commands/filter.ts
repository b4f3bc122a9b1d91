/**
 * /filter: what a subscription lets through. Alone it shows the filters; `include`, `exclude`,
 * `feed` and `language` add to a list, `regex` sets the pattern, `clear` empties one list or all,
 * and `test <article id>` says why that article would pass or be blocked here.
 */
import { AkhbarError } from '../core/errors.js';
import {
  articleWords,
  compileFilters,
  compilePattern,
  filterTerms,
  MAX_FILTER_WORDS,
  NO_FILTERS,
  type FilterCheck,
  type SubscriptionFilters,
} from '../core/filters.js';
import { subscriptionId, type Subscription } from '../core/subscriptions.js';
import { normalizeUrl } from '../core/urls.js';
import type { Language } from '../core/types.js';
import { messages, type Messages } from '../i18n/messages.js';
import { about, targetOf, WHERE_OPTION } from './target.js';
import { textView } from './views.js';
import type { Block, Command, CommandContext, CommandServices, View } from './types.js';

/** What `/filter` was asked to do. */
export type FilterAction =
  | { readonly kind: 'show' }
  | { readonly kind: 'add'; readonly list: 'include' | 'exclude' | 'feeds' | 'languages'; readonly values: readonly string[] }
  | { readonly kind: 'regex'; readonly pattern: string }
  | { readonly kind: 'clear'; readonly list?: keyof SubscriptionFilters }
  | { readonly kind: 'test'; readonly articleId: string }
  | { readonly kind: 'bad'; readonly word: string };

// Each verb in English and Arabic.
const VERBS: Readonly<Record<string, 'include' | 'exclude' | 'feed' | 'language' | 'regex' | 'clear' | 'test'>> = {
  include: 'include',
  exclude: 'exclude',
  feed: 'feed',
  language: 'language',
  lang: 'language',
  regex: 'regex',
  clear: 'clear',
  test: 'test',
  يشمل: 'include',
  يستثني: 'exclude',
  مصدر: 'feed',
  لغة: 'language',
  نمط: 'regex',
  مسح: 'clear',
  اختبار: 'test',
};
const LISTS: Readonly<Record<string, keyof SubscriptionFilters>> = { include: 'include', exclude: 'exclude', feed: 'feeds', language: 'languages', regex: 'regex' };

/** Parses the words after `/filter` (and after a channel or `forum` naming the target). */
export function parseFilterArgs(text: string): FilterAction {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'show' };
  const [first = '', ...rest] = trimmed.split(/\s+/u);
  const verb = VERBS[first.toLowerCase()];
  // The pattern is everything after the verb, spaces and all.
  const after = trimmed.slice(first.length).trim();
  switch (verb) {
    case undefined:
      return { kind: 'bad', word: first };
    case 'include':
    case 'exclude':
      return rest.length === 0 ? { kind: 'bad', word: first } : { kind: 'add', list: verb, values: rest };
    case 'feed':
      return rest.length === 0 ? { kind: 'bad', word: first } : { kind: 'add', list: 'feeds', values: rest };
    case 'language': {
      const bad = rest.find((word) => word.toLowerCase() !== 'ar' && word.toLowerCase() !== 'en');
      if (rest.length === 0 || bad !== undefined) return { kind: 'bad', word: bad ?? first };
      return { kind: 'add', list: 'languages', values: rest.map((word) => word.toLowerCase()) };
    }
    case 'regex':
      return after === '' ? { kind: 'bad', word: first } : { kind: 'regex', pattern: after };
    case 'clear': {
      if (rest.length === 0) return { kind: 'clear' };
      const list = LISTS[VERBS[rest[0]!.toLowerCase()] ?? ''];
      return list === undefined ? { kind: 'bad', word: rest[0]! } : { kind: 'clear', list };
    }
    case 'test':
      return rest.length === 0 ? { kind: 'bad', word: first } : { kind: 'test', articleId: rest[0]! };
    default:
      return { kind: 'bad', word: first };
  }
}

/** The feed host a word names: a URL's or a host's as typed, or a followed feed's by its id (when the asker may list feeds). */
async function feedHost(word: string, services: CommandServices, ctx: CommandContext): Promise<string | undefined> {
  if (/^[0-9a-f]{4,8}$/iu.test(word) && services.sources) {
    const feeds = await services.sources.listFeeds(ctx.actor).catch(() => []);
    const feed = feeds.find((f) => f.id.startsWith(word.toLowerCase()));
    if (feed) return new URL(feed.url).host;
  }
  const url = normalizeUrl(/^https?:\/\//iu.test(word) ? word : `https://${word}`);
  if (url === undefined) return undefined;
  // As a feed's items are posted: by the host of its URL, with the port when it has one.
  const { host, hostname } = new URL(url);
  return hostname.includes('.') ? host : undefined;
}

/** The filters with `action` applied; throws the refusal for a word or pattern that cannot be used. */
async function applied(current: SubscriptionFilters, action: FilterAction, services: CommandServices, ctx: CommandContext): Promise<SubscriptionFilters | { bad: string }> {
  switch (action.kind) {
    case 'add': {
      let values: string[] = [...action.values];
      if (action.list === 'include' || action.list === 'exclude') {
        const empty = values.find((word) => filterTerms(word).length === 0);
        if (empty !== undefined) throw new AkhbarError({ code: 'BAD_FILTER_WORD', word: empty });
      }
      if (action.list === 'feeds') {
        const hosts: string[] = [];
        for (const word of values) {
          const host = await feedHost(word, services, ctx);
          if (host === undefined) return { bad: word };
          hosts.push(host);
        }
        values = hosts;
      }
      const list = [...new Set([...(current[action.list] as readonly string[]), ...values])].slice(0, MAX_FILTER_WORDS);
      return { ...current, [action.list]: action.list === 'languages' ? (list as Language[]) : list };
    }
    case 'regex':
      compilePattern(action.pattern);
      return { ...current, regex: action.pattern };
    case 'clear': {
      if (action.list === undefined) return NO_FILTERS;
      if (action.list === 'regex') {
        const { regex: _dropped, ...rest } = current;
        return rest;
      }
      return { ...current, [action.list]: [] };
    }
    default:
      return current;
  }
}

/** The subscription's filters as a view: a line per rule, or that everything arrives. */
export function filtersView(filters: SubscriptionFilters | undefined, m: Messages, prefix: (text: string) => string = (t) => t): View {
  const f = filters ?? NO_FILTERS;
  const blocks: Block[] = [];
  if (f.include.length > 0) blocks.push({ kind: 'field', label: m.filters.include, value: f.include.join(', ') });
  if (f.exclude.length > 0) blocks.push({ kind: 'field', label: m.filters.exclude, value: f.exclude.join(', ') });
  if (f.feeds.length > 0) blocks.push({ kind: 'field', label: m.filters.feeds, value: f.feeds.join(', ') });
  if (f.languages.length > 0) blocks.push({ kind: 'field', label: m.filters.languages, value: f.languages.join(', ') });
  if (f.regex !== undefined) blocks.push({ kind: 'field', label: m.filters.regex, value: f.regex });
  if (blocks.length === 0) return textView(prefix(m.filters.none));
  return { blocks: [{ kind: 'title', text: prefix(m.filters.title) }, ...blocks], outcome: 'ok' };
}

/** One rule's finding in words. */
export function checkText(check: FilterCheck, m: Messages): string {
  const f = m.filters;
  switch (check.rule) {
    case 'include':
      return check.passed ? f.includes(check.word!, check.matched!) : f.includesNone(check.words);
    case 'exclude':
      return check.passed ? f.excludesNone : f.excludes(check.word!, check.matched!);
    case 'feed':
      return check.passed ? f.fromFeed(check.source!) : f.notFromFeeds(check.source, check.feeds);
    case 'language':
      return check.passed ? f.inLanguage(check.language) : f.notInLanguages(check.language, check.languages);
    case 'regex':
      return check.passed ? f.patternMatches(check.matched ?? '') : f.patternMisses;
  }
}

async function testView(subscription: Subscription, articleId: string, services: CommandServices, m: Messages): Promise<View> {
  const article = await services.desk.getArticle(articleId);
  const verdict = compileFilters(subscription.filters ?? NO_FILTERS).judge(articleWords(article));
  const heading = verdict.passed ? m.filters.passes(article.id, article.title) : m.filters.blocked(article.id, article.title);
  if (verdict.checks.length === 0) return textView(`${heading}\n${m.filters.none}`);
  // The rule that blocked it first, then the others.
  const lines = [...verdict.checks].sort((a, b) => Number(a.passed) - Number(b.passed)).map((check) => `${check.passed ? '✓' : '✗'} ${checkText(check, m)}`);
  return { blocks: [{ kind: 'title', text: heading }, { kind: 'text', text: lines.join('\n') }], outcome: 'ok' };
}

/** The /filter command. */
export const filter: Command = {
  name: 'filter',
  aliases: { arabic: 'تصفية' },
  right: 'chat-admin',
  needs: ['subscriptions'],
  options: [WHERE_OPTION, { name: 'rule', type: 'string', describe: (m) => m.options.filterRule, maxLength: 300 }],
  menu: (m) => m.menu.filter,
  help: (m, platform) => (platform === 'discord' ? m.filters.helpDiscord : m.filters.help),
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const text = input.text.trim();
    const words = text.split(/\s+/u).filter((w) => w !== '');
    const given = words.length;
    const target = await targetOf(words, ctx);
    if ('refused' in target) return target.refused;
    // Without the word that named the target, spacing kept (a pattern may hold spaces).
    const action = parseFilterArgs(words.length < given ? text.replace(/^\S+\s*/u, '') : text);
    if (action.kind === 'bad') return textView(m.filters.badArgs(action.word), 'refused');
    const subscription = await services.subscriptions!.get(subscriptionId(target.chat));
    if (!subscription) return textView(about(target.chat, ctx, m.filters.notSubscribed), 'refused');
    const prefix = (text: string) => about(target.chat, ctx, text);
    if (action.kind === 'show') return filtersView(subscription.filters, m, prefix);
    if (action.kind === 'test') return testView(subscription, action.articleId, services, m);
    const next = await applied(subscription.filters ?? NO_FILTERS, action, services, ctx);
    if ('bad' in next) return textView(m.filters.badFeed(next.bad), 'refused');
    const saved = await services.subscriptions!.setFilters(subscription.id, next, new Date());
    return filtersView(saved?.filters, m, prefix);
  },
};
