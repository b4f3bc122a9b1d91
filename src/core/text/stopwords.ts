/**
 * Stop words: function words that appear in almost every article and question, so they say nothing
 * about which article answers which question. Stored in folded form (see `foldArabic`), because they
 * are looked up on folded tokens.
 *
 * Content verbs such as قال / said stay OUT on purpose: a user may ask who said something.
 * The dialect line holds the particles readers type around a question in Levantine, Gulf, Egyptian
 * and Maghrebi Arabic (رح "will", اللي "which", مش "not", ديال / تاع "of", بزاف "a lot"); forms
 * that are also common MSA content words (بدو "Bedouins", عم "uncle") stay out.
 */
import { foldArabic, foldForMatching } from './normalize.js';
import { QUESTION_WORD_LIST } from './questionWords.js';

const ARABIC_SOURCE = `
في من على إلى الى عن مع ب ل ك و ف حتى منذ مذ لدى عند عبر نحو تجاه دون بدون خلال بين حول ضد
قبل بعد فوق تحت أمام خلف وراء إزاء رغم برغم بسبب وفق وفقا حسب بحسب ضمن داخل خارج لدن إثر عقب
أثناء جراء حوالي قرابة
ثم أو أم لكن لكنّ ولكن بل إذ إذا إذن لو لولا كي لكي حيث حين حينما عندما بينما كلما لما كأن
كأنما إنما أما إما إلا ألا أيضا أيضاً كذلك كما مثل مثلما سواء غير سوى فقط جدا قد لقد فقد وقد
لن لم لا ما ليس ليست إن أن إنّ أنّ لأن بأن وأن وإن فإن لئن سوف هل يا أيها أيتها نعم بلى كلا
عسى لعل ليت إذما مهما أينما حيثما كيفما أنى بيد طالما ريثما بعدما قبلما إلخ الخ
هو هي هما هم هن أنا نحن أنت أنتِ أنتما أنتم أنتن إياه إياها إياهم إياهما إياك إياكم إيانا إياي
فيه فيها فيهم فيهما فيما منه منها منهم منهما منا مني عليه عليها عليهم عليهما علينا إليه إليها
إليهم إلينا عنه عنها عنهم عنا معه معها معهم معهما معنا له لها لهم لهما لهن لنا لي لك لكم به بها
بهم بهما بنا بك لديه لديها لديهم لدينا عنده عندها عندهم عندنا بينهم بينهما بيننا
أنه إنه أنها إنها أنهم إنهم أننا إننا بأنه بأنها بأنهم وأنه وأنها لأنه لأنها كأنه لكنه لكنها
ولكنه وإنه فإنه فإنها وإنها
وفي ومن وعلى وإلى وعن ومع وهو وهي وهم وهما ونحن ولقد ولم ولن ولا وما وكان وكانت وليس وهذا وهذه
وذلك وتلك وهناك وهنا وكل وبعد وقبل وخلال وبين وحول وعند وحتى وثم وأو ففي فمن فعلى فهو فهي فهم
فلا فما وكما وأيضا ومنها ومنه وفيها وفيه وبها وبه وله ولها ولهم وعليه وعليها وإليه وعنه وعنها
ومعه وحيث وإذ وإذا فإذا وبينما وعندما
هذا هذه هذان هاتان هذين هاتين هؤلاء ذلك ذاك تلك أولئك أولاء هناك هنالك هنا ثمة ثمّة بهذا بهذه
بذلك لهذا لهذه لذلك لذا كذا هكذا وكذلك وبذلك فهذا فذلك بتلك لتلك وهكذا
الذي التي الذين اللذان اللتان اللذين اللتين اللاتي اللائي اللواتي والذي والتي والذين بالذي للذي
للتي للذين بالتي
كان كانت كانوا كنت كنا يكون تكون يكونوا يكونون تكونوا أكون نكون ليس ليست ليسوا لست لسنا صار
صارت أصبح أصبحت أضحى ظل ظلت مازال مازالت لازال لايزال يزال تزال زال بات باتت أمسى كاد يكاد
تكاد أوشك يوشك
تم تمت يتم تتم وتم وتمت ويتم وتتم
ماذا متى أين كيف لماذا كم أي أية أيّ ماهو ماهي بماذا لمن عما عمن مما ممن فيم بم إلام علام أيان
كل بعض جميع كافة عدة معظم أغلب نفس نفسه نفسها أنفسهم ذات ذاته ذاتها كلتا أكثر أقل الآن آنذاك
حينئذ عندئذ
رح راح هلق هلأ هيك هيدا هيدي هاد هادا هادي هاي ده دي دول اللي إللي مش مو مب ديال تاع متاع بزاف برشا
شوية لسه لسا يعني باش غادي كتير
`;

// NLTK's English list, minus "won" (a content word in news: "won the election"), plus a few
// auxiliaries and connectives that are just as empty. "us" and "may" stay out: the country, the month.
const ENGLISH_SOURCE = `
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom whose this that
these those am is are was were be been being have has had having do does did doing a an the and but
if or because as until while of at by for with about against between into through during before
after above below to from up down in out on off over under again further then once here there when
where why how all any both each few more most other some such no nor not only own same so than too
very s t can will just don should now d ll m o re ve y ain aren couldn didn doesn hadn hasn haven isn
ma mightn mustn needn shan shouldn wasn weren wouldn
would could might must shall also yet however although though whether since upon within without
via among across onto toward towards unless many much every ever even eg ie etc
`;

// Function words that questions and articles glue و/ف onto ("وأين", "فمن", "وهذا"); their prefixed
// forms are generated instead of stripping و/ف from every token, which would also kill ولي (as in ولي العهد).
const CONJOINABLE = `
ما ماذا من متى أين كيف لماذا كم هل أي أية هو هي هما هم نحن أنا أنت أنتم هذا هذه هذان هاتان هؤلاء
ذلك ذاك تلك أولئك هناك هنا الذي التي الذين لن لا قد إن أن كل بعض
`;

function words(source: string): string[] {
  return source.split(/\s+/).filter((w) => w.length > 0);
}

function toSet(list: readonly string[], fold: (word: string) => string): ReadonlySet<string> {
  return new Set(list.map(fold));
}

/** Arabic stop words, folded with `foldArabic` so every hamza/ta-marbuta spelling of them matches. */
export const ARABIC_STOP_WORDS: ReadonlySet<string> = toSet(
  [...words(ARABIC_SOURCE), ...words(CONJOINABLE).flatMap((w) => [w, `و${w}`, `ف${w}`])],
  foldArabic,
);

/** English stop words, lower-case. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = toSet(words(ENGLISH_SOURCE), (w) => w);

// Dialect and casual question words ("وين", "شحال", "whats") are as empty as "أين" and "where".
const QUESTION_STOP_WORDS = QUESTION_WORD_LIST.flatMap((w) => [w, `و${w}`, `ف${w}`]).map(foldForMatching);

const ALL_STOP_WORDS: ReadonlySet<string> = new Set([...ARABIC_STOP_WORDS, ...ENGLISH_STOP_WORDS, ...QUESTION_STOP_WORDS]);

/** Whether a folded token is a function word that should not count as evidence of relevance. */
export function isStopWord(foldedToken: string): boolean {
  return ALL_STOP_WORDS.has(foldedToken);
}
