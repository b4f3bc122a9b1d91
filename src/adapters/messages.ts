/**
 * What the bot says, in Arabic and English, shared by every adapter. Platform formatting (HTML,
 * embeds) is the adapter's; the words are here so every platform says the same thing.
 */
import { isAkhbarError, type LinkFailure } from '../core/errors.js';

/** Languages the bot's own messages exist in. */
export type UiLanguage = 'ar' | 'en';

/** The UI language for a detected or declared language (`other` falls back). */
export function uiLanguage(language: string | undefined, fallback: UiLanguage): UiLanguage {
  if (language === undefined) return fallback;
  if (language === 'ar' || language.startsWith('ar')) return 'ar';
  if (language === 'en' || language.startsWith('en')) return 'en';
  return fallback;
}

const texts = {
  en: {
    help: [
      'akhbar: a news desk. Commands:',
      '/post <text>: store an article (admins). Alone, /post waits for a pasted article ended by a line with a single "."',
      '/post <link>: fetch the article at a link and store it (admins)',
      '/delete <id>: delete an article, its summaries and its pending deliveries (admins)',
      '/summary [id]: the summary of an article (the latest if no id)',
      '/latest: the summary of the newest article',
      '/articles [page]: the stored articles',
      '/ask <question>: an answer from the stored articles, with sources',
      '/subscribe [each | digest HH:MM] [ar|en]: receive a summary of every new article, or a daily digest',
      '/unsubscribe: stop receiving summaries',
      '/status: delivery figures (admins)',
      '/feed add <url> | list | remove <id>: follow RSS/Atom feeds; their new articles are posted (admins)',
      '/help: this message',
    ].join('\n'),
    posted: (id: string, title: string) => `Stored article ${id}: ${title}`,
    feedUsage: 'Usage: /feed add <url>, /feed list, /feed remove <id>',
    feedAdded: (id: string, url: string, posted: number, passedOver: number) =>
      `Following feed ${id}: ${url}. ${posted} new article(s) posted now${passedOver > 0 ? `; ${passedOver} older item(s) left out` : ''}. New items are checked regularly.`,
    noFeeds: 'No feeds are followed. Add one with /feed add <url>.',
    feedsHeader: (count: number) => `Followed feeds (${count}):`,
    feedFailing: (failures: number) => `failing (${failures} in a row)`,
    feedNotCheckedYet: 'not checked yet',
    feedRemoved: (id: string, url: string) => `Stopped following feed ${id}: ${url}`,
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
    sources: 'Sources',
    fromCache: 'from cache',
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
    fallbackNotice: 'The AI engine is unavailable right now; this answer comes from the built-in engine.',
    usageLine: (requests: number, prompt: number, completion: number) => `engine: ${requests} requests, ${prompt} prompt + ${completion} completion tokens`,
    digestTitle: 'News digest',
    statusTitle: 'Delivery',
    statusLine: (pending: number, sent: number, failed: number, dead: number) =>
      `pending ${pending} · sent ${sent} · failed ${failed} · chat gone ${dead}`,
    subscribersLine: (active: number, inactive: number) => `subscribers: ${active} active, ${inactive} stopped`,
    internalError: 'Something went wrong on our side; the error was logged. Please try again.',
    emptyArticle: 'The article is empty. Send the text after /post.',
    articleTooShort: (min: number, actual: number) =>
      `The article is too short (${actual} characters; at least ${min} are needed).`,
    articleTooLong: (max: number, actual: number) =>
      `The article is too long (${actual.toLocaleString('en')} characters; at most ${max.toLocaleString('en')}).`,
    invalidUrl: (url: string) => `"${url}" is not a web address (http or https).`,
    articleNotFound: (id: string) => `There is no article with the id "${id}". Send /articles to see the ids.`,
    ambiguousId: (id: string, matches: string[]) => `"${id}" matches several articles: ${matches.join(', ')}. Use more characters.`,
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
  },
  ar: {
    help: [
      'أخبار: مكتب أخبار. الأوامر:',
      '‏/post <نص>: حفظ مقال (للمشرفين). وحده، ينتظر ‎/post‎ لصق مقال ينتهي بسطر فيه "." فقط',
      '‏/post <رابط>: جلب المقال من الرابط وحفظه (للمشرفين)',
      '‏/delete <المعرف>: حذف مقال مع ملخصاته وما لم يُرسل منه بعد (للمشرفين)',
      '‏/summary [المعرف]: ملخص مقال (الأحدث إن لم يُذكر معرف)',
      '‏/latest: ملخص أحدث مقال',
      '‏/articles [الصفحة]: المقالات المخزنة',
      '‏/ask <سؤال>: إجابة من المقالات المخزنة مع المصادر',
      '‏/subscribe [each | digest HH:MM] [ar|en]: ملخص كل مقال جديد، أو نشرة يومية',
      '‏/unsubscribe: إيقاف الملخصات',
      '‏/status: أرقام التوصيل (للمشرفين)',
      '‏/feed add <url> | list | remove <id>: متابعة خلاصات RSS/Atom ونشر مقالاتها الجديدة (للمشرفين)',
      '‏/help: هذه الرسالة',
    ].join('\n'),
    posted: (id: string, title: string) => `حُفظ المقال ${id}: ${title}`,
    feedUsage: 'الاستخدام: ‎/feed add <url>‎ أو ‎/feed list‎ أو ‎/feed remove <id>‎',
    feedAdded: (id: string, url: string, posted: number, passedOver: number) =>
      `تتم الآن متابعة الخلاصة ${id}: ${url}. نُشر ${posted} من المقالات الجديدة${passedOver > 0 ? `، وتُرك ${passedOver} من الأقدم` : ''}. ستُفحص الخلاصة بانتظام.`,
    noFeeds: 'لا توجد خلاصات متابَعة. أضف واحدة بالأمر ‎/feed add <url>‎',
    feedsHeader: (count: number) => `الخلاصات المتابَعة (${count}):`,
    feedFailing: (failures: number) => `متعثرة (${failures} مرات متتالية)`,
    feedNotCheckedYet: 'لم تُفحص بعد',
    feedRemoved: (id: string, url: string) => `توقفت متابعة الخلاصة ${id}: ${url}`,
    duplicate: (id: string, title: string) => `هذا المقال محفوظ من قبل برقم ${id}: ${title}`,
    deleted: (id: string, title: string) => `حُذف المقال ${id}: ${title}. لن يُرسل ولن يُستشهد به بعد الآن.`,
    deleteUsage: 'الاستخدام: ‎/delete <المعرف>‎ (أرسل ‎/articles‎ لرؤية المعرفات)',
    importReport: (read: number, added: number, subscriptions: number, feeds: number, feedsAdded: number) =>
      `استُورد ${read} من المقالات (${added} جديدة)، و${subscriptions} من الاشتراكات، و${feeds} من الخلاصات (${feedsAdded} جديدة).`,
    migrateReport: (read: number, added: number, summaries: number, subscriptions: number, feeds: number, feedsAdded: number, pending: number, queued: number, resumed: number) =>
      `نُقل ${read} من المقالات (${added} جديدة)، و${summaries} من الملخصات، و${subscriptions} من الاشتراكات، و${feeds} من الخلاصات (${feedsAdded} جديدة)، ` +
      `و${pending} من الرسائل المنتظرة (${queued} أُدرجت الآن)، واستُؤنف ${resumed} من التوزيعات المقطوعة.`,
    noArticlesYet: 'لا توجد مقالات مخزنة بعد. يمكن للمشرف إضافة مقال بالأمر ‎/post‎.',
    articlesHeader: (from: number, to: number, total: number) => `المقالات ${from}–${to} من ${total}:`,
    sources: 'المصادر',
    fromCache: 'من الذاكرة المؤقتة',
    pasteArticle: 'الصق المقال (السطر الأول عنوانه). اختم بسطر فيه "." فقط',
    unknownCommand: (command: string) => `الأمر ${command} غير معروف. أرسل ‎/help‎ لقائمة الأوامر.`,
    cannotReadFile: (path: string) => `تعذرت قراءة الملف ${path}. تحقق من المسار وحاول مجددا.`,
    subscribedEach: 'تم الاشتراك: سيصل هنا ملخص كل مقال جديد.',
    chatAdminsOnly: 'يستطيع مشرفو هذه المحادثة فقط تغيير اشتراكها.',
    channelNotFound: (ref: string) => `لم أجد القناة ${ref}.`,
    botCannotPost: (ref: string) => `أضف البوت مشرفا في ${ref} مع صلاحية النشر أولا.`,
    subscribedDigest: (time: string, zone: string) => `تم الاشتراك: ستصل هنا نشرة بالمقالات الجديدة كل يوم الساعة ${time} (${zone}).`,
    unsubscribed: 'أُلغي الاشتراك: لن تصل ملخصات بعد الآن.',
    notSubscribed: 'هذه المحادثة غير مشتركة.',
    badSubscribeArgs: (word: string) => `لم أفهم «${word}». استعمل ‎/subscribe‎ أو ‎/subscribe digest 08:00‎، وأضف ar أو en للغة.`,
    newArticle: 'مقال جديد',
    fallbackNotice: 'محرك الذكاء الاصطناعي غير متاح الآن؛ هذه الإجابة من المحرك المدمج.',
    usageLine: (requests: number, prompt: number, completion: number) => `المحرك: ${requests} طلبا، ${prompt} رمزا للمدخلات و${completion} للمخرجات`,
    digestTitle: 'نشرة الأخبار',
    statusTitle: 'التوصيل',
    statusLine: (pending: number, sent: number, failed: number, dead: number) =>
      `قيد الانتظار ${pending} · أُرسل ${sent} · فشل ${failed} · محادثة مغلقة ${dead}`,
    subscribersLine: (active: number, inactive: number) => `المشتركون: ${active} نشط، ${inactive} متوقف`,
    internalError: 'حدث خطأ من جهتنا وسُجّل. حاول مرة أخرى من فضلك.',
    emptyArticle: 'المقال فارغ. أرسل النص بعد ‎/post‎.',
    articleTooShort: (min: number, actual: number) => `المقال قصير جدا (${actual} حرفا، والحد الأدنى ${min}).`,
    articleTooLong: (max: number, actual: number) =>
      `المقال طويل جدا (${actual.toLocaleString('en')} حرفا، والحد الأقصى ${max.toLocaleString('en')}).`,
    invalidUrl: (url: string) => `«${url}» ليس عنوان موقع (http أو https).`,
    articleNotFound: (id: string) => `لا يوجد مقال بالمعرف «${id}». أرسل ‎/articles‎ لرؤية المعرفات.`,
    ambiguousId: (id: string, matches: string[]) => `«${id}» يطابق أكثر من مقال: ${matches.join('، ')}. اكتب أحرفا أكثر.`,
    notAdmin: 'نشر المقالات للمشرفين فقط.',
    notAdminDelete: 'حذف المقالات للمشرفين فقط.',
    emptyQuestion: 'اكتب سؤالك بعد ‎/ask‎، مثلا: ‎/ask‎ من التقى الرئيس؟',
    questionTooLong: (max: number) => `السؤال طويل جدا؛ اجعله أقل من ${max} حرفا.`,
    storeUnavailable: 'تعذر الحفظ أو القراءة: مخزن المقالات غير متاح الآن، ولم يُحفظ شيء. حاول مرة أخرى بعد قليل.',
    linkNoHost: (url: string) => `تعذر الوصول إلى ${url}: لا يوجد موقع بهذا الاسم. تحقق من العنوان.`,
    linkNoAnswer: (url: string) => `تعذر الوصول إلى ${url}: الموقع لا يستجيب. حاول لاحقا.`,
    linkTimeout: (url: string) => `لم يرد ${url} في الوقت المحدد. حاول لاحقا.`,
    linkHttpError: (url: string, status: number) => `ردّ ${url} بخطأ (HTTP ${status}). تحقق من العنوان.`,
    linkPrivate: (url: string) => `لا أجلب ${url}: فهو يشير إلى عنوان في شبكة محلية أو خاصة.`,
    linkScheme: (url: string) => `أتبع روابط http وhttps فقط، وقد أحال ${url} إلى غيرها.`,
    linkNotHtml: (url: string, contentType: string) => `${url} ليس صفحة ويب (نوعه ${contentType}). أرسل رابط صفحة مقال.`,
    linkTooLarge: (url: string, megabytes: string) => `حجم ${url} يتجاوز ${megabytes} ميغابايت، فلم يُجلب.`,
    linkRedirectLoop: (url: string) => `${url} يعيد التوجيه في حلقة مفرغة، فلا يمكن جلبه.`,
    linkTooManyRedirects: (url: string, max: number) => `${url} يعيد التوجيه أكثر من ${max} مرات، فلم يُجلب.`,
    linkNoArticle: (url: string) => `لم أجد نص مقال في ${url}. الصق النص مع ‎/post‎ بدلا من ذلك.`,
    feedInvalid: (url: string) => `${url} ليس موجز RSS أو Atom صالحا.`,
    feedNotFound: (ref: string) => `لا يوجد موجز متابَع يطابق «${ref}».`,
    feedExists: (id: string) => `هذا الموجز متابَع من قبل (المعرف ${id}).`,
    badBackup: (line: number) => `الملف ليس نسخة احتياطية صالحة من akhbar (السطر ${line}). ما قُرئ قبله محفوظ.`,
  },
} as const;

/** The message texts in one language. */
export type Messages = (typeof texts)['en'];

/** The bot's messages in `language`. */
export function messages(language: UiLanguage): Messages {
  return texts[language] as Messages;
}

/** The text a user sees for a failed request: the domain reason, or a generic apology for bugs. */
export function errorText(error: unknown, language: UiLanguage): string {
  const m = messages(language);
  if (!isAkhbarError(error)) return m.internalError;
  const d = error.details;
  switch (d.code) {
    case 'EMPTY_ARTICLE':
      return m.emptyArticle;
    case 'ARTICLE_TOO_SHORT':
      return m.articleTooShort(d.minChars, d.actualChars);
    case 'ARTICLE_TOO_LONG':
      return m.articleTooLong(d.maxChars, d.actualChars);
    case 'INVALID_URL':
      return m.invalidUrl(d.url);
    case 'ARTICLE_NOT_FOUND':
      return m.articleNotFound(d.id);
    case 'AMBIGUOUS_ARTICLE_ID':
      return m.ambiguousId(d.id, d.matches);
    case 'NO_ARTICLES':
      return m.noArticlesYet;
    case 'NOT_ADMIN':
      return d.action === 'delete' ? m.notAdminDelete : m.notAdmin;
    case 'EMPTY_QUESTION':
      return m.emptyQuestion;
    case 'QUESTION_TOO_LONG':
      return m.questionTooLong(d.maxChars);
    case 'STORE_UNAVAILABLE':
      return m.storeUnavailable;
    case 'LINK_UNREACHABLE':
      return unreachableText(m, shortUrl(d.url), d.reason, d.status);
    case 'LINK_BLOCKED':
      return d.reason === 'scheme' ? m.linkScheme(shortUrl(d.url)) : m.linkPrivate(shortUrl(d.url));
    case 'LINK_NOT_HTML':
      return m.linkNotHtml(shortUrl(d.url), d.contentType.slice(0, 60));
    case 'LINK_TOO_LARGE':
      return m.linkTooLarge(shortUrl(d.url), megabytes(d.maxBytes));
    case 'LINK_TOO_MANY_REDIRECTS':
      return d.loop ? m.linkRedirectLoop(shortUrl(d.url)) : m.linkTooManyRedirects(shortUrl(d.url), d.maxRedirects);
    case 'LINK_NO_ARTICLE':
      return m.linkNoArticle(shortUrl(d.url));
    case 'FEED_INVALID':
      return m.feedInvalid(shortUrl(d.url));
    case 'FEED_NOT_FOUND':
      return m.feedNotFound(d.ref.slice(0, 100));
    case 'FEED_EXISTS':
      return m.feedExists(d.id);
    case 'BAD_BACKUP':
      return m.badBackup(d.line);
  }
}

function unreachableText(m: Messages, url: string, reason: LinkFailure, status: number | undefined): string {
  switch (reason) {
    case 'dns':
      return m.linkNoHost(url);
    case 'timeout':
      return m.linkTimeout(url);
    case 'http-status':
      return status === undefined ? m.linkNoAnswer(url) : m.linkHttpError(url, status);
    case 'refused':
    case 'network':
      return m.linkNoAnswer(url);
  }
}

// Long tracking-laden URLs drown the message; the start is enough to recognise the link.
const MAX_URL_CHARS = 100;

function shortUrl(url: string): string {
  return url.length <= MAX_URL_CHARS ? url : `${url.slice(0, MAX_URL_CHARS - 1)}…`;
}

function megabytes(bytes: number): string {
  return (Math.round((bytes / 1_048_576) * 10) / 10).toLocaleString('en');
}
