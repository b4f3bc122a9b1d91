/**
 * The Arabic table. Command names stay Latin (Telegram and Discord take no other), wrapped in
 * direction marks so they read in place inside right-to-left text.
 */
import type { Platform } from '../commands/types.js';
import type { Messages } from './messages.js';

/** The bot's words in Arabic. */
export const ar = {
  helpTitle: 'أخبار: مكتب أخبار. الأوامر:',
  // A right-to-left mark first, so a line that opens with a Latin command still reads right to left.
  helpLine: (command: string, args: string, text: string) => `\u200f${command}${args === '' ? '' : ` ${args}`}: ${text}`,
  adminsOnly: ' (للمشرفين)',
  arabicNames: (names: readonly string[]) => `\u200fالأسماء العربية: ${names.join('، ')}`,
  args: { id: '<المعرف>', optionalId: '[المعرف]', page: '[الصفحة]' },
  helpText: {
    help: 'هذه الرسالة',
    delete: 'حذف مقال مع ملخصاته وما لم يُرسل منه بعد',
    summary: 'ملخص مقال (الأحدث إن لم يُذكر معرف)',
    latest: 'ملخص أحدث مقال',
    articles: 'المقالات المخزنة',
    unsubscribe: 'إيقاف الملخصات',
    status: 'أرقام التوصيل',
    cancel: 'إيقاف لصق مقال دون نشر شيء (أو Ctrl-C)',
    quit: 'مغادرة وحدة التحكم (أو Ctrl-D)',
  },
  help: {
    post: (platform: Platform) => {
      switch (platform) {
        case 'telegram':
          return [
            '\u200f/post <نص>: حفظ مقال؛ أو الرد بالأمر ‎/post‎ على رسالة، أو إرسال ملف ‎.txt‎ مع ‎/post‎ في تعليقه، أو إعادة توجيه رسالة إلى البوت',
            '\u200f/post <رابط>: جلب المقال من الرابط وحفظه',
          ];
        case 'discord':
          return ['\u200f/post text: حفظ مقال (نصه أو رابط لجلبه)، أو ‎/post file:‎ ملف ‎.txt‎ أو ‎.md‎؛ و‎/post‎ وحده يفتح نموذجا للصق مقال طويل'];
        case 'console':
          return [
            '\u200f/post <نص>: حفظ مقال',
            '\u200f/post <رابط>: جلب المقال من الرابط وحفظه',
            '\u200f/post وحده: الصق المقال ثم اختمه بسطر فيه "." فقط',
            '\u200f/post --file PATH: حفظ المقال الذي في ملف نصي',
          ];
      }
    },
    ask: (platform: Platform) => {
      switch (platform) {
        case 'telegram':
          return ['\u200f/ask <سؤال>: إجابة من المقالات المخزنة مع المصادر (في المحادثة الخاصة كل رسالة سؤال؛ وفي المجموعة اذكر البوت أو رد عليه)'];
        case 'discord':
          return ['\u200f/ask question: إجابة من المقالات المخزنة مع المصادر'];
        case 'console':
          return ['\u200f/ask <سؤال>: إجابة من المقالات المخزنة مع المصادر (والسطر الذي لا يبدأ بشرطة مائلة سؤال أيضا)'];
      }
    },
    subscribe: (platform: Platform) => {
      switch (platform) {
        case 'telegram':
          return [
            '\u200f/subscribe [each | digest HH:MM] [ar|en]: ملخص كل مقال جديد هنا، أو نشرة يومية (لمشرفي المحادثة)؛ وفي المحادثة الخاصة يشترك ‎/subscribe @channel‎ قناة تشرف عليها أنت والبوت',
            '\u200f/subscribe … [summary | headline | full] [previews on|off]: شكل كل مقال؛ وفي موضوع من مواضيع المنتدى يشترك الموضوع وحده',
          ];
        case 'discord':
          return [
            '\u200f/subscribe [where] [mode] [time] [lang] [format] [previews]: ملخص كل مقال جديد في هذه القناة أو السلسلة، أو نشرة يومية (لمن يدير القنوات)؛ وفي منشور من منتدى يشترك where: forum المنتدى كله، فيفتح كل مقال منشورا فيه',
          ];
        case 'console':
          return ['\u200f/subscribe [each | digest HH:MM] [ar|en]: عرض ملخص كل مقال جديد هنا عند توصيله، أو نشرة يومية'];
      }
    },
    feed: (platform: Platform) =>
      platform === 'discord'
        ? [
            '\u200f/feed add url: | /feed list | /feed remove id: متابعة خلاصات RSS/Atom ونشر مقالاتها الجديدة',
            '\u200f/feed resume id: | /feed import file: | /feed export: استئناف خلاصة موقوفة؛ متابعة خلاصات ملف OPML؛ تنزيل الخلاصات المتابَعة ملفَّ OPML',
          ]
        : [
            '\u200f/feed add <url> | list | remove <id>: متابعة خلاصات RSS/Atom ونشر مقالاتها الجديدة',
            '\u200f/feed resume <id> | import (مع ملف OPML) | export: استئناف خلاصة موقوفة؛ متابعة خلاصات ملف OPML؛ تنزيل الخلاصات المتابَعة ملفَّ OPML',
          ],
  },
  menu: {
    help: 'ما يستطيعه البوت',
    ask: 'سؤال عن المقالات المخزنة',
    latest: 'ملخص أحدث مقال',
    summary: 'ملخص مقال بمعرفه',
    articles: 'المقالات المخزنة',
    subscribe: 'الاشتراك في الملخصات',
    unsubscribe: 'إيقاف الملخصات',
    filter: 'اختيار المقالات التي تصل هنا',
    post: 'نشر مقال (للمشرفين)',
    delete: 'حذف مقال بمعرفه (للمشرفين)',
    status: 'أرقام التوصيل (للمشرفين)',
    feed: 'متابعة خلاصات RSS/Atom (للمشرفين)',
    cancel: 'إيقاف لصق مقال',
    quit: 'مغادرة وحدة التحكم',
    follow: 'متابعة سؤال: تصلك الإجابة الجديدة حين تتغير',
    following: 'الأسئلة التي تتابعها هذه المحادثة',
    unfollow: 'إيقاف متابعة سؤال',
    why: 'الأدلة وراء آخر إجابة',
  },
  options: {
    postText: 'نص المقال، أو رابط إليه',
    postFile: 'ملف ‎.txt‎ أو ‎.md‎',
    postUrl: 'مصدر المقال',
    articleId: 'معرف المقال',
    page: 'الصفحة',
    question: 'سؤالك',
    mode: 'كل مقال، أو نشرة يومية',
    time: 'موعد النشرة، HH:MM',
    language: 'لغة الملخصات',
    updates: 'وإشارة قصيرة حين ينشر مصدر آخر خبراً أُرسل من قبل',
    format: 'الملخص (الافتراضي)، أو العنوان والرابط فقط، أو الملخص والفقرة الأولى',
    previews: 'معاينة الروابط',
    where: 'في منشور منتدى: المنتدى كله (كل مقال منشور جديد)',
    filterRule: 'include/exclude كلمات، feed، language، regex، clear، أو test <معرف مقال>',
    feedAdd: 'متابعة خلاصة',
    feedUrl: 'رابط الخلاصة',
    feedList: 'الخلاصات المتابَعة',
    feedRemove: 'إيقاف متابعة خلاصة',
    feedId: 'معرف الخلاصة أو رابطها',
    feedResume: 'استئناف خلاصة موقوفة',
    feedImport: 'متابعة خلاصات ملف OPML',
    feedImportFile: 'ملف OPML (‏.opml أو ‎.xml)',
    feedExport: 'الخلاصات المتابَعة في ملف OPML',
  },
  postHowTo: (platform: Platform) =>
    platform === 'discord'
      ? 'لنشر مقال، ضع نصه أو رابطه في خيار text، أو أرفق ملف ‎.txt‎ أو ‎.md‎ في خيار file؛ و‎/post‎ بلا أي منهما يفتح نموذجا.'
      : platform === 'console'
        ? 'لنشر مقال، أرسل ‎/post‎ ثم الصقه، أو ‎/post <نص>‎ أو ‎/post <رابط>‎ أو ‎/post --file PATH‎.'
        : 'لنشر مقال، أرسله بعد الأمر (‎/post <نص>‎)، أو رد بالأمر ‎/post‎ على رسالة فيها المقال، أو أرسل ملف ‎.txt‎ مع ‎/post‎ في تعليقه، أو أرسل ‎/post <رابط>‎.',
  postFormTitle: 'نشر مقال',
  postFormLabel: 'نص المقال',
  pasteCancelled: 'أُلغي اللصق ولم يُنشر شيء.',
  nothingToCancel: 'لا يجري لصق مقال الآن، فلا شيء لإلغائه.',
  consoleWelcome: (articles: number, engine: string) =>
    `وحدة تحكم أخبار: ${articles} من المقالات مخزنة، والمحرك ${engine}. اكتب ‎/help‎ (أو ‎/مساعدة‎) للأوامر، أو سؤالا لتسأله، و‎/quit‎ للخروج.`,
  noSuchPage: (page: number, pages: number, total: number) => `لا توجد صفحة ${page}: المقالات المخزنة (${total}) تملأ ${pages} من الصفحات.`,
  statusLatest: 'أحدث المقالات:',
  notAdminStatus: 'أرقام التوصيل للمشرفين فقط.',
  notAdminFeed: 'عرض المصادر ومتابعتها وحذفها للمشرفين فقط.',
  fileTooLarge: (name: string, bytes: number, maxChars: number) =>
    `حجم الملف ${name} ‏${bytes.toLocaleString('en')} بايت، وهو أكبر من أن يكون مقالا (الحد الأقصى ${maxChars.toLocaleString('en')} حرف).`,
  fileNotText: (name: string) => `${name} ليس ملفا نصيا. أرسل المقال في ملف ‎.txt‎ أو ‎.md‎، أو الصق نصه.`,
  posted: (id: string, title: string) => `حُفظ المقال ${id}: ${title}`,
  feedUsage: 'الاستخدام: ‎/feed add <url>‎ أو ‎/feed list‎ أو ‎/feed remove <id>‎ أو ‎/feed resume <id>‎ أو ‎/feed import‎ (مع ملف OPML) أو ‎/feed export‎',
  feedAdded: (id: string, url: string, posted: number, passedOver: number) =>
    `تتم الآن متابعة الخلاصة ${id}: ${url}. نُشر ${posted} من المقالات الجديدة${passedOver > 0 ? `، وتُرك ${passedOver} من الأقدم` : ''}. ستُفحص الخلاصة بانتظام.`,
  noFeeds: 'لا توجد خلاصات متابَعة. أضف واحدة بالأمر ‎/feed add <url>‎',
  feedsHeader: (count: number) => `الخلاصات المتابَعة (${count}):`,
  feedFailing: (failures: number) => `متعثرة (${failures} مرات متتالية)`,
  feedNotCheckedYet: 'لم تُفحص بعد',
  feedRemoved: (id: string, url: string) => `توقفت متابعة الخلاصة ${id}: ${url}`,
  feedLastSuccess: (at: string) => `آخر قراءة ${at}`,
  feedItemsPosted: (count: number) => `نُشر منها ${count} من المقالات`,
  feedLastError: (at: string, why: string) => `آخر خطأ ${at}: ${why}`,
  feedPausedState: (at: string, failures: number, id: string) => `موقوفة منذ ${at} بعد ${failures} من المحاولات الفاشلة؛ ‎/feed resume ${id}‎`,
  feedResumed: (id: string, url: string, ok: boolean) =>
    `استؤنفت متابعة الخلاصة ${id}: ${url}. ${ok ? 'قُرئت من جديد الآن.' : 'فشلت قراءتها مرة أخرى الآن؛ ستُفحص لاحقا.'}`,
  feedPausedNotice: (id: string, name: string, failures: number, why: string) =>
    `فشل فحص الخلاصة ${name} (${id}) ${failures} مرات متتالية فأوقفت: ${why} حين تعمل من جديد أرسل ‎/feed resume ${id}‎`,
  feedImportNeedsFile: 'أرسل ملف OPML واكتب ‎/feed import‎ تعليقا عليه، أو رد عليه بالأمر ‎/feed import‎',
  feedImported: (added: number, existing: number) => `تتم الآن متابعة ${added} من الخلاصات الجديدة من ملف OPML${existing > 0 ? `، و${existing} منها متابَعة من قبل وتبقى كما هي` : ''}. ستُفحص قريبا.`,
  feedExported: (count: number) => `الخلاصات المتابَعة (${count}) في ملف OPML.`,
  opmlInvalid: (cause: string) => `هذا ليس ملف OPML صالحا (${cause}). لم تُضف أي خلاصة.`,
  opmlTooLarge: (feeds: number, maxFeeds: number) => `في ملف OPML ‏${feeds} خلاصة؛ ويمكن استيراد ${maxFeeds} على الأكثر دفعة واحدة. لم تُضف أي خلاصة.`,
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
  notInArticles: 'لم أجد إجابة لهذا السؤال في المقالات المخزنة.',
  inlineHint: 'اكتب سؤالاً عن الأخبار',
  nothingToSummarize: 'هذه الرسالة أقصر من أن تُلخَّص: اختر رسالة فيها نص مقال أو رابط إليه.',
  nothingToAsk: 'لا نص في هذه الرسالة لأسأل عنه.',
  notStored: 'قُرئ ولم يُخزَّن: اطلب من المشرف نشره بالأمر ‎/post‎ ليُحفظ.',
  sources: 'المصادر',
  fromCache: 'من الذاكرة المؤقتة',
  quotedFrom: (language) => (language === 'ar' ? 'مقتبس من مقال بالعربية' : 'مقتبس من مقال بالإنجليزية'),
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
  subscribeUpdatesHelp: '\u200f/subscribe … updates: وإشارة قصيرة واحدة «ورد الخبر أيضاً في…» حين ينشر مصدر آخر خبراً أُرسل هنا من قبل',
  subscribedStoryUpdates: 'وحين ينشر مصدر آخر خبراً أُرسل هنا من قبل، تصل إشارة قصيرة واحدة «ورد الخبر أيضاً في…».',
  alsoReportedBy: (outlet: string) => `ورد الخبر أيضاً في ${outlet}`,
  alsoReportedIn: 'وأيضاً',
  fallbackNotice: 'محرك الذكاء الاصطناعي غير متاح الآن؛ هذه الإجابة من المحرك المدمج.',
  usageLine: (requests: number, prompt: number, completion: number) => `المحرك: ${requests} طلبا، ${prompt} رمزا للمدخلات و${completion} للمخرجات`,
  digestTitle: 'نشرة الأخبار',
  statusTitle: 'التوصيل',
  statusLine: (pending: number, sent: number, failed: number, dead: number) =>
    `قيد الانتظار ${pending} · أُرسل ${sent} · فشل ${failed} · محادثة مغلقة ${dead}`,
  subscribersLine: (active: number, inactive: number) => `المشتركون: ${active} نشط، ${inactive} متوقف`,
  internalError: 'حدث خطأ من جهتنا وسُجّل. حاول مرة أخرى من فضلك.',
  replyHeldBack: 'أوقف تيليغرام ردّي هنا مدة طويلة (رسائل كثيرة في وقت واحد)، فلم يُرسَل. اسأل مرة أخرى من فضلك.',
  emptyArticle: 'المقال فارغ. أرسل النص بعد ‎/post‎.',
  notText: 'هذا ليس نصاً: يبدو أنه بيانات ثنائية (صورة أو ملف PDF أو أرشيف) أو نص محفوظ بترميز غير UTF-8. أرسل المقال نصاً عادياً، أو ملف ‎.txt‎ محفوظاً بترميز UTF-8.',
  articleTooShort: (min: number, actual: number) => `المقال قصير جدا (${actual} حرفا، والحد الأدنى ${min}).`,
  articleTooLong: (max: number, actual: number) =>
    `المقال طويل جدا (${actual.toLocaleString('en')} حرفا، والحد الأقصى ${max.toLocaleString('en')}).`,
  invalidUrl: (url: string) => `«${url}» ليس عنوان موقع (http أو https).`,
  articleNotFound: (id: string) => `لا يوجد مقال بالمعرف «${id}». أرسل ‎/articles‎ لرؤية المعرفات.`,
  ambiguousId: (id: string, matches: readonly string[]) => `«${id}» يطابق أكثر من مقال: ${matches.join('، ')}. اكتب أحرفا أكثر.`,
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
  follows: {
    help: {
      follow: 'متابعة سؤال: تصل هذه المحادثة الإجابة الجديدة مع مصدرها حين يغيّرها مقال جديد',
      following: 'الأسئلة التي تتابعها هذه المحادثة',
      unfollow: 'إيقاف متابعة سؤال (رقمه في /following)',
    },
    args: { question: '<سؤال>', which: '<رقم>' },
    whichOption: 'رقم السؤال في /following',
    followed: (question: string) => `تتابع هذه المحادثة الآن «${question}». ستصلها الإجابة الجديدة حين يغيّرها مقال جديد.`,
    alreadyFollowed: (question: string) => `هذه المحادثة تتابع «${question}» من قبل.`,
    tooMany: (max: number) => `تتابع هذه المحادثة ${max} سؤالا، وهو الحد الأقصى. أوقف متابعة أحدها بـ /unfollow أولا.`,
    answerNow: 'الإجابة الآن:',
    noFollows: 'لا تتابع هذه المحادثة أي سؤال. تابع سؤالا بـ /follow <سؤال>.',
    followingHeader: (count: number, max: number) => `الأسئلة التي تتابعها هذه المحادثة (${count} من ${max} على الأكثر):`,
    unfollowed: (question: string) => `أُوقفت متابعة «${question}».`,
    noSuchFollow: (ref: string) => `لا يوجد سؤال متابَع رقمه أو معرفه «${ref}»؛ تجدها في /following.`,
    unfollowUsage: 'أي سؤال؟ /unfollow <رقم>، الرقم من /following.',
    updateTitle: (question: string) => `إجابة جديدة لسؤال تتابعه: «${question}»`,
  },
  why: {
    help: 'الأدلة التي قامت عليها آخر إجابة في هذه المحادثة',
    nothingAsked: 'لم يُجَب عن أي سؤال في هذه المحادثة بعد (منذ آخر تشغيل للبوت).',
    question: (question: string) => `السؤال: «${question}»`,
    quoted: 'تقتبس الإجابة:',
    candidates: 'المقاطع التي وُجدت، الأفضل أولا:',
    passage: (title: string, id: string, score: number) => `${title} [${id}]، درجة التطابق ${score}`,
    confidence: (percent: number, thresholdPercent: number) => `الثقة بأن أفضل مقطع يحمل الإجابة: ${percent}% (يُجاب ابتداء من ${thresholdPercent}%).`,
    unknownWord: (word: string) => `لا يذكر أي مقال محفوظ «${word}».`,
    declined: {
      'no-candidate': 'لم يطابق السؤالَ أيُّ مقال محفوظ.',
      'one-term': 'لا يشترك أفضل مقال مع السؤال إلا في كلمة واحدة، وهذا ليس دليلا على إجابة.',
      'no-shared-name': 'أفضل مقال باللغة الأخرى ولا يشترك مع السؤال في أي اسم، بل في أرقام أو كلمات قصيرة فقط، وهذا ليس دليلا على إجابة.',
      'low-coverage': 'يحمل أفضل مقال جزءا قليلا جدا من السؤال.',
      'number-absent': 'يذكر السؤال رقما لا يحتويه أفضل مقال.',
      'low-confidence': 'كان أفضل مرشح دون حد الثقة.',
    },
    cached: 'جاءت هذه الإجابة من ذاكرة الإجابات؛ ولم تتغير أدلتها منذ ذلك الحين.',
  },
  filters: {
    help: [
      '\u200f/filter: عرض المقالات التي يسمح بها هذا الاشتراك (لمشرفي المحادثة)',
      '\u200f/filter include <كلمات> | exclude <كلمات> | feed <معرف أو موقع> | language ar|en | regex <نمط>: إضافة قاعدة؛ و‎/filter clear‎ يحذفها',
      '\u200f/filter test <معرف مقال>: لماذا يصل ذلك المقال هنا أو لا يصل',
    ],
    helpDiscord: [
      '\u200f/filter [where] [rule]: عرض المقالات التي تسمح بها هذه القناة أو السلسلة؛ وrule هي include <كلمات> أو exclude <كلمات> أو feed <معرف أو موقع> أو language ar|en أو regex <نمط> أو clear أو test <معرف مقال> (لمن يدير القنوات)',
    ],
    title: 'المرشحات',
    none: 'لا مرشحات: يصل هنا كل مقال جديد.',
    include: 'فقط المقالات التي تذكر',
    exclude: 'لا المقالات التي تذكر',
    feeds: 'فقط من خلاصات',
    languages: 'فقط باللغة',
    regex: 'فقط ما يطابق',
    notSubscribed: 'هذه المحادثة غير مشتركة؛ اشترك أولا بـ ‎/subscribe‎ ثم اضبط مرشحاتها.',
    badArgs: (word: string) =>
      `لم أفهم «${word}». استخدم ‎/filter include نفط‎ أو ‎/filter exclude رياضة‎ أو ‎/filter feed <معرف>‎ أو ‎/filter language ar‎ أو ‎/filter regex <نمط>‎ أو ‎/filter clear‎ أو ‎/filter test <معرف مقال>‎.`,
    badFeed: (word: string) => `«${word}» ليس معرف خلاصة متابَعة ولا عنوان موقع.`,
    patternTooLong: (maxChars: number) => `النمط طويل جدا: ${maxChars} حرفا على الأكثر.`,
    patternUnsupported: (cause: string) => `لا يمكن استخدام هذا النمط (${cause}). تعمل الأنماط في زمن خطي، فلا تدعم الإحالات الخلفية ولا النظر إلى الأمام أو الخلف.`,
    wordMatchesNothing: (word: string) => `«${word}» كلمة شائعة جدا لا يصلح الترشيح بها.`,
    passes: (id: string, title: string) => `يمر: ${title} (${id}) سيصل هنا.`,
    blocked: (id: string, title: string) => `محجوب: ${title} (${id}) لن يصل هنا.`,
    includes: (word: string, matched: string) => `يذكر «${word}» (طابق ${matched})`,
    includesNone: (words: readonly string[]) => `لا يذكر أيا من ${words.map((w) => `«${w}»`).join('، ')}`,
    excludes: (word: string, matched: string) => `يستثنى «${word}» (طابق ${matched})`,
    excludesNone: 'لا يذكر كلمة مستثناة',
    fromFeed: (host: string) => `من خلاصة ${host}`,
    notFromFeeds: (source: string | undefined, feeds: readonly string[]) => `${source ? `من ${source}` : 'ليس من خلاصة'}، لا من ${feeds.join('، ')}`,
    inLanguage: (language: string) => `باللغة ${language}`,
    notInLanguages: (language: string, languages: readonly string[]) => `باللغة ${language}، لا ${languages.join('، ')}`,
    patternMatches: (matched: string) => `يطابق النمط («${matched}»)`,
    patternMisses: 'لا يطابق النمط',
  },
} satisfies Messages;
