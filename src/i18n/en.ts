/**
 * The English table. Keys and signatures come from `Messages`; `satisfies` keeps this table
 * complete.
 */
import type { Platform } from '../commands/types.js';
import type { Messages } from './messages.js';

/** The bot's words in English. */
export const en = {
  helpTitle: 'akhbar: a news desk. Commands:',
  helpLine: (command: string, args: string, text: string) => `${command}${args === '' ? '' : ` ${args}`}: ${text}`,
  adminsOnly: ' (admins)',
  arabicNames: (names: readonly string[]) => `Arabic names: ${names.join(', ')}`,
  args: { id: '<id>', optionalId: '[id]', page: '[page]' },
  helpText: {
    help: 'this message',
    delete: 'delete an article, its summaries and its pending deliveries',
    summary: 'the summary of an article (the latest if no id)',
    latest: 'the summary of the newest article',
    articles: 'the stored articles',
    unsubscribe: 'stop receiving summaries',
    status: 'delivery figures',
    cancel: 'stop pasting an article, posting nothing (Ctrl-C too)',
    quit: 'leave the console (Ctrl-D too)',
  },
  help: {
    post: (platform: Platform) => {
      switch (platform) {
        case 'telegram':
          return [
            '/post <text>: store an article; or reply /post to a message, send a .txt file with /post as its caption, or forward a message to the bot',
            '/post <link>: fetch the article at a link and store it',
          ];
        case 'discord':
          return ['/post text: store an article (its text, or a link to fetch), or /post file: a .txt or .md file; /post alone opens a form for a long paste'];
        case 'console':
          return [
            '/post <text>: store an article',
            '/post <link>: fetch the article at a link and store it',
            '/post alone: paste the article, then end it with a line holding a single "."',
            '/post --file PATH: store the article in a text file',
          ];
      }
    },
    ask: (platform: Platform) => {
      switch (platform) {
        case 'telegram':
          return ['/ask <question>: an answer from the stored articles, with sources (in a private chat any message is a question; in a group, mention the bot or reply to it)'];
        case 'discord':
          return ['/ask question: an answer from the stored articles, with sources'];
        case 'console':
          return ['/ask <question>: an answer from the stored articles, with sources (a line without a slash is a question too)'];
      }
    },
    subscribe: (platform: Platform) => {
      switch (platform) {
        case 'telegram':
          return [
            "/subscribe [each | digest HH:MM] [ar|en]: receive a summary of every new article here, or a daily digest (the chat's admins); in a private chat, /subscribe @channel … subscribes a channel you and the bot administer",
            '/subscribe … [summary | headline | full] [previews on|off]: how each article reads; in a forum topic, the topic subscribes on its own',
          ];
        case 'discord':
          return [
            '/subscribe [where] [mode] [time] [lang] [format] [previews]: send a summary of every new article to this channel or thread, or a daily digest (Manage Channels); in a post of a forum channel, where: forum subscribes the forum, and each article opens a post there',
          ];
        case 'console':
          return ['/subscribe [each | digest HH:MM] [ar|en]: show the summary of every new article here as it is delivered, or a daily digest'];
      }
    },
    feed: (platform: Platform) =>
      platform === 'discord'
        ? [
            '/feed add url: | /feed list | /feed remove id: follow RSS/Atom feeds; their new articles are posted',
            '/feed resume id: | /feed import file: | /feed export: resume a paused feed; follow the feeds of an OPML file; get the followed feeds as OPML',
          ]
        : [
            '/feed add <url> | list | remove <id>: follow RSS/Atom feeds; their new articles are posted',
            '/feed resume <id> | import (with an OPML file) | export: resume a paused feed; follow the feeds of an OPML file; get the followed feeds as OPML',
          ],
  },
  menu: {
    help: 'What the bot can do',
    ask: 'Ask about the stored articles',
    latest: 'Summary of the newest article',
    summary: 'Summary of an article by id',
    articles: 'The stored articles',
    subscribe: 'Receive summaries here',
    unsubscribe: 'Stop receiving summaries',
    filter: 'Choose which articles arrive here',
    post: 'Post an article (admins)',
    delete: 'Delete an article by id (admins)',
    status: 'Delivery figures (admins)',
    feed: 'Follow RSS/Atom feeds (admins)',
    cancel: 'Stop pasting an article',
    quit: 'Leave the console',
    follow: 'Follow a question: get the new answer when it changes',
    following: 'The questions this chat follows',
    unfollow: 'Stop following a question',
    why: 'The evidence behind the last answer',
  },
  options: {
    postText: 'The article text, or a link to the article',
    postFile: 'A .txt or .md file',
    postUrl: 'Where the article comes from',
    articleId: 'Article id',
    page: 'Page',
    question: 'Your question',
    mode: 'Each article, or a daily digest',
    time: 'Digest time, HH:MM',
    language: 'Summary language',
    updates: 'Also a short note when another outlet reports a story already sent',
    format: 'Summary (default), headline and link only, or summary and first paragraph',
    previews: 'Link previews',
    where: 'In a forum post: the whole forum (each article a new post)',
    filterRule: 'include/exclude words, feed, language, regex, clear, or test <article id>',
    feedAdd: 'Follow a feed',
    feedUrl: 'Feed URL',
    feedList: 'The followed feeds',
    feedRemove: 'Stop following a feed',
    feedId: 'Feed id or URL',
    feedResume: 'Resume a paused feed',
    feedImport: 'Follow the feeds of an OPML file',
    feedImportFile: 'An OPML file (.opml or .xml)',
    feedExport: 'The followed feeds as an OPML file',
  },
  postHowTo: (platform: Platform) =>
    platform === 'discord'
      ? 'To post an article, give its text or a link in the text option, or attach a .txt or .md file in the file option; /post with neither opens a form.'
      : platform === 'console'
        ? 'To post an article, send /post and paste it, or /post <text>, /post <link> or /post --file PATH.'
        : 'To post an article, send it after the command (/post <text>), reply /post to a message that holds it, send a .txt file with /post as its caption, or send /post <link>.',
  postFormTitle: 'Post an article',
  postFormLabel: 'Article text',
  pasteCancelled: 'Paste cancelled; nothing was posted.',
  nothingToCancel: 'No article is being pasted, so there is nothing to cancel.',
  consoleWelcome: (articles: number, engine: string) =>
    `akhbar console: ${articles} article(s) stored, engine ${engine}. Type /help for commands, a question to ask it, /quit to leave.`,
  noSuchPage: (page: number, pages: number, total: number) =>
    `There is no page ${page}: the ${total} stored article(s) fill ${pages} page(s).`,
  statusLatest: 'Newest articles:',
  notAdminStatus: 'Only admins can see the delivery figures.',
  notAdminFeed: 'Only admins can list, follow or remove feeds.',
  fileTooLarge: (name: string, bytes: number, maxChars: number) =>
    `The file ${name} is ${bytes.toLocaleString('en')} bytes, too large for an article (at most ${maxChars.toLocaleString('en')} characters).`,
  fileNotText: (name: string) => `${name} is not a text file. Send the article as a .txt or .md file, or paste its text.`,
  posted: (id: string, title: string) => `Stored article ${id}: ${title}`,
  feedUsage: 'Usage: /feed add <url>, /feed list, /feed remove <id>, /feed resume <id>, /feed import (with an OPML file), /feed export',
  feedAdded: (id: string, url: string, posted: number, passedOver: number) =>
    `Following feed ${id}: ${url}. ${posted} new article(s) posted now${passedOver > 0 ? `; ${passedOver} older item(s) left out` : ''}. New items are checked regularly.`,
  noFeeds: 'No feeds are followed. Add one with /feed add <url>.',
  feedsHeader: (count: number) => `Followed feeds (${count}):`,
  feedFailing: (failures: number) => `failing (${failures} in a row)`,
  feedNotCheckedYet: 'not checked yet',
  feedRemoved: (id: string, url: string) => `Stopped following feed ${id}: ${url}`,
  feedLastSuccess: (at: string) => `last read ${at}`,
  feedItemsPosted: (count: number) => `${count} article(s) posted`,
  feedLastError: (at: string, why: string) => `last error ${at}: ${why}`,
  feedPausedState: (at: string, failures: number, id: string) => `PAUSED since ${at} after ${failures} failed checks; /feed resume ${id}`,
  feedResumed: (id: string, url: string, ok: boolean) =>
    `Resumed feed ${id}: ${url}. ${ok ? 'It was read again just now.' : 'It failed again just now; it is checked again later.'}`,
  feedPausedNotice: (id: string, name: string, failures: number, why: string) =>
    `The feed ${name} (${id}) failed ${failures} checks in a row and is paused: ${why} Once it works again, send /feed resume ${id}.`,
  feedImportNeedsFile: 'Send the OPML file with /feed import as its caption, or reply /feed import to it.',
  feedImported: (added: number, existing: number) => `Following ${added} new feed(s) from the OPML file${existing > 0 ? `; ${existing} were followed already and are kept as they are` : ''}. They are checked soon.`,
  feedExported: (count: number) => `The ${count} followed feed(s), as OPML.`,
  opmlInvalid: (cause: string) => `That is not a usable OPML file (${cause}). No feed was added.`,
  opmlTooLarge: (feeds: number, maxFeeds: number) => `The OPML file lists ${feeds} feeds; at most ${maxFeeds} can be imported at once. No feed was added.`,
  duplicate: (id: string, title: string) => `Already stored as article ${id}: ${title}`,
  deleted: (id: string, title: string) => `Deleted article ${id}: ${title}. It will not be delivered or cited again.`,
  deleteUsage: 'Usage: /delete <id> (send /articles to see the ids)',
  importReport: (read: number, added: number, subscriptions: number, feeds: number, feedsAdded: number) =>
    `Imported ${read} article(s) (${added} new), ${subscriptions} subscription(s), ${feeds} feed(s) (${feedsAdded} new).`,
  migrateReport: (read: number, added: number, summaries: number, subscriptions: number, feeds: number, feedsAdded: number, pending: number, queued: number, resumed: number) =>
    `Migrated ${read} article(s) (${added} new), ${summaries} summary(ies), ${subscriptions} subscription(s), ${feeds} feed(s) (${feedsAdded} new), ` +
    `${pending} pending delivery(ies) (${queued} queued now), ${resumed} interrupted fan-out(s) resumed.`,
  noArticlesYet: 'No articles are stored yet. An admin can add one with /post.',
  articlesHeader: (from: number, to: number, total: number) => `Articles ${from}–${to} of ${total}:`,
  notInArticles: 'That is not in the stored articles.',
  inlineHint: 'Type a question about the news',
  nothingToSummarize: 'This message is too short to summarize: pick a message with an article’s text or a link to one.',
  nothingToAsk: 'This message has no text to ask about.',
  notStored: 'Read, not stored: ask an admin to /post it to keep it.',
  sources: 'Sources',
  fromCache: 'from cache',
  quotedFrom: (language) => (language === 'ar' ? 'quoted from an Arabic article' : 'quoted from an English article'),
  pasteArticle: 'Paste the article (the first line is taken as its title). End with a line containing only "."',
  unknownCommand: (command: string) => `Unknown command ${command}. Send /help for the list.`,
  cannotReadFile: (path: string) => `Cannot read the file ${path}. Check the path and try again.`,
  subscribedEach: 'Subscribed: a summary of every new article will arrive here.',
  chatAdminsOnly: 'Only this chat’s admins can change its subscription.',
  channelNotFound: (ref: string) => `I cannot find the channel ${ref}.`,
  botCannotPost: (ref: string) => `Make the bot an admin of ${ref} with the right to post messages first.`,
  subscribedDigest: (time: string, zone: string) => `Subscribed: a digest of new articles will arrive here every day at ${time} (${zone}).`,
  unsubscribed: 'Unsubscribed: no more summaries will arrive here.',
  notSubscribed: 'This chat is not subscribed.',
  badSubscribeArgs: (word: string) => `I did not understand "${word}". Use /subscribe, /subscribe digest 08:00, or add ar or en for the language.`,
  newArticle: 'New article',
  subscribeUpdatesHelp: '/subscribe … updates: also one short "also reported by" note when another outlet reports a story already sent here',
  subscribedStoryUpdates: 'When another outlet reports a story already sent here, one short "also reported by" note follows.',
  alsoReportedBy: (outlet: string) => `Also reported by ${outlet}`,
  alsoReportedIn: 'also',
  fallbackNotice: 'The AI engine is unavailable right now; this answer comes from the built-in engine.',
  usageLine: (requests: number, prompt: number, completion: number) => `engine: ${requests} requests, ${prompt} prompt + ${completion} completion tokens`,
  digestTitle: 'News digest',
  statusTitle: 'Delivery',
  statusLine: (pending: number, sent: number, failed: number, dead: number) =>
    `pending ${pending} · sent ${sent} · failed ${failed} · chat gone ${dead}`,
  subscribersLine: (active: number, inactive: number) => `subscribers: ${active} active, ${inactive} stopped`,
  internalError: 'Something went wrong on our side; the error was logged. Please try again.',
  replyHeldBack: 'Telegram held my answer back here for too long (too many messages at once), so it was not sent. Please ask again.',
  emptyArticle: 'The article is empty. Send the text after /post.',
  notText: 'This is not text: it looks like binary data (a picture, a PDF, an archive) or text saved in an encoding other than UTF-8. Send the article as plain text, or a .txt file saved as UTF-8.',
  articleTooShort: (min: number, actual: number) =>
    `The article is too short (${actual} characters; at least ${min} are needed).`,
  articleTooLong: (max: number, actual: number) =>
    `The article is too long (${actual.toLocaleString('en')} characters; at most ${max.toLocaleString('en')}).`,
  invalidUrl: (url: string) => `"${url}" is not a web address (http or https).`,
  articleNotFound: (id: string) => `There is no article with the id "${id}". Send /articles to see the ids.`,
  ambiguousId: (id: string, matches: readonly string[]) => `"${id}" matches several articles: ${matches.join(', ')}. Use more characters.`,
  notAdmin: 'Only admins can post articles.',
  notAdminDelete: 'Only admins can delete articles.',
  emptyQuestion: 'Ask a question after /ask, for example: /ask who met the president?',
  questionTooLong: (max: number) => `The question is too long; keep it under ${max} characters.`,
  storeUnavailable: 'Could not save or read that: the article store is not reachable right now, and nothing was saved. Please try again shortly.',
  linkNoHost: (url: string) => `I could not reach ${url}: no site has that name. Check the address.`,
  linkNoAnswer: (url: string) => `I could not reach ${url}: the site did not answer. Try again later.`,
  linkTimeout: (url: string) => `${url} took too long to answer. Try again later.`,
  linkHttpError: (url: string, status: number) => `${url} answered with an error (HTTP ${status}). Check the address.`,
  linkPrivate: (url: string) => `I do not fetch ${url}: it points to a local or private network address.`,
  linkScheme: (url: string) => `I only follow http and https links, and ${url} led elsewhere.`,
  linkNotHtml: (url: string, contentType: string) => `${url} is not a web page (it is ${contentType}). Send a link to an article page.`,
  linkTooLarge: (url: string, megabytes: string) => `${url} is larger than ${megabytes} MB, so it was not fetched.`,
  linkRedirectLoop: (url: string) => `${url} redirects in a loop, so it cannot be fetched.`,
  linkTooManyRedirects: (url: string, max: number) => `${url} redirects more than ${max} times, so it was not fetched.`,
  linkNoArticle: (url: string) => `I found no article text at ${url}. Paste the text with /post instead.`,
  feedInvalid: (url: string) => `${url} is not a valid RSS or Atom feed.`,
  feedNotFound: (ref: string) => `No followed feed matches "${ref}".`,
  feedExists: (id: string) => `That feed is already followed (id ${id}).`,
  badBackup: (line: number) => `That file is not a usable akhbar backup (line ${line}). What was read before it is stored.`,
  follows: {
    help: {
      follow: 'follow a question: this chat gets the new answer, with its source, when a new article changes it',
      following: 'the questions this chat follows',
      unfollow: 'stop following a question (its number in /following)',
    },
    args: { question: '<question>', which: '<number>' },
    whichOption: 'The number of the question in /following',
    followed: (question: string) => `Following "${question}". This chat gets the new answer when a new article changes it.`,
    alreadyFollowed: (question: string) => `This chat already follows "${question}".`,
    tooMany: (max: number) => `This chat follows ${max} questions, the most it may. Stop following one with /unfollow first.`,
    answerNow: 'The answer now:',
    noFollows: 'This chat follows no questions. Follow one with /follow <question>.',
    followingHeader: (count: number, max: number) => `Questions this chat follows (${count} of at most ${max}):`,
    unfollowed: (question: string) => `No longer following "${question}".`,
    noSuchFollow: (ref: string) => `No followed question is number or id "${ref}"; /following lists them.`,
    unfollowUsage: 'Which question? /unfollow <number>, the number from /following.',
    updateTitle: (question: string) => `New answer to a question you follow: "${question}"`,
  },
  why: {
    help: 'the evidence behind the last answer in this chat',
    nothingAsked: 'No question has been answered in this chat yet (since the bot last started).',
    question: (question: string) => `Question: "${question}"`,
    quoted: 'The answer quotes:',
    candidates: 'The passages found, best first:',
    passage: (title: string, id: string, score: number) => `${title} [${id}], match score ${score}`,
    confidence: (percent: number, thresholdPercent: number) => `Confidence that the best passage holds the answer: ${percent}% (answered from ${thresholdPercent}% up).`,
    unknownWord: (word: string) => `No stored article mentions "${word}".`,
    declined: {
      'no-candidate': 'No stored article matched the question.',
      'one-term': 'The best article shares only one word with the question, which is not evidence of an answer.',
      'no-shared-name': 'The best article is in the other language and shares no name with the question, only numbers or short words, which is not evidence of an answer.',
      'low-coverage': 'The best article holds too little of the question.',
      'number-absent': 'The question names a number the best article does not contain.',
      'low-confidence': 'The best candidate was below the confidence threshold.',
    },
    cached: 'This answer came from the answer cache; its evidence has not changed since.',
  },
  filters: {
    help: [
      '/filter: show which articles this subscription lets through (chat admins)',
      '/filter include <words> | exclude <words> | feed <id or site> | language ar|en | regex <pattern>: add a rule; /filter clear [rule] removes them',
      '/filter test <article id>: why that article would arrive here or not',
    ],
    helpDiscord: [
      '/filter [where] [rule]: show which articles this channel or thread lets through; rule: include <words>, exclude <words>, feed <id or site>, language ar|en, regex <pattern>, clear [rule], or test <article id> (Manage Channels)',
    ],
    title: 'Filters',
    none: 'No filters: every new article arrives here.',
    include: 'Only articles mentioning',
    exclude: 'Never articles mentioning',
    feeds: 'Only from the feeds of',
    languages: 'Only in',
    regex: 'Only matching',
    notSubscribed: 'This chat is not subscribed; /subscribe first, then set its filters.',
    badArgs: (word: string) =>
      `I did not understand "${word}". Use /filter include oil, /filter exclude sport, /filter feed <id>, /filter language en, /filter regex <pattern>, /filter clear, or /filter test <article id>.`,
    badFeed: (word: string) => `"${word}" is neither a followed feed's id nor a site's address.`,
    patternTooLong: (maxChars: number) => `That pattern is too long: at most ${maxChars} characters.`,
    patternUnsupported: (cause: string) => `That pattern cannot be used (${cause}). Patterns run in linear time, so backreferences and lookarounds are not supported.`,
    wordMatchesNothing: (word: string) => `"${word}" is too common a word to filter by.`,
    passes: (id: string, title: string) => `Passes: ${title} (${id}) would arrive here.`,
    blocked: (id: string, title: string) => `Blocked: ${title} (${id}) would not arrive here.`,
    includes: (word: string, matched: string) => `includes "${word}" (matched ${matched})`,
    includesNone: (words: readonly string[]) => `mentions none of ${words.map((w) => `"${w}"`).join(', ')}`,
    excludes: (word: string, matched: string) => `excludes "${word}" (matched ${matched})`,
    excludesNone: 'mentions no excluded word',
    fromFeed: (host: string) => `from the feed of ${host}`,
    notFromFeeds: (source: string | undefined, feeds: readonly string[]) => `${source ? `from ${source}` : 'not from a feed'}, not ${feeds.join(', ')}`,
    inLanguage: (language: string) => `in ${language}`,
    notInLanguages: (language: string, languages: readonly string[]) => `in ${language}, not ${languages.join(', ')}`,
    patternMatches: (matched: string) => `matches the pattern ("${matched}")`,
    patternMisses: 'does not match the pattern',
  },
} satisfies Messages;
