/**
 * What kinds of answer a sentence can give: numbers, times, names, places, causes, statements.
 * Found lexically (digits, number and month words, capitalised names, causal connectives,
 * reporting verbs and quotation marks), which is what extractive QA without a model has to go on.
 */
import { REPORTING_CLASS, tokenize, type AnswerKind } from '../text/index.js';

/** Candidate answers of each kind in one sentence, as folded tokens. */
export type KindMarks = Partial<Record<AnswerKind, readonly string[]>>;

const fold = (list: string): Set<string> => new Set(tokenize(list));

const NUMBER_WORDS = fold(`
واحد واحده اثنان اثنين اثنتان اثنتين ثلاث ثلاثه اربع اربعه خمس خمسه ست سته سبع سبعه ثمان ثماني ثمانيه تسع تسعه
عشر عشره عشرات عشرون عشرين ثلاثون ثلاثين اربعون اربعين خمسون خمسين ستون ستين سبعون سبعين ثمانون ثمانين تسعون تسعين
مئه مائه مئات مئتين مائتين مئتان الف الاف آلاف الفين ألفي مليون ملايين مليار مليارات ترليون نصف ربع ثلث بالمئه بالمائه
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen
nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions
billion billions trillion half quarter third dozen dozens percent per cent`);

const TIME_WORDS = fold(`
يناير فبراير مارس ابريل أبريل مايو يونيو يونيه يوليو يوليه اغسطس أغسطس سبتمبر اكتوبر أكتوبر نوفمبر ديسمبر
كانون شباط آذار اذار نيسان أيار حزيران تموز آب أيلول تشرين جانفي فيفري أفريل ماي جوان جويلية أوت
محرم رمضان شوال شعبان رجب الحجه القعده
السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعه امس أمس غدا القرن قرن العقد الماضي المقبل
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow tonight century
centuries decade decades ago since until later earlier morning evening night week weeks month months year years
spring summer autumn winter`);

const CAUSE_WORDS = fold(`
بسبب لسبب سبب أسباب اسباب لأن لان لأنه لانه لأنها نظرا جراء إثر اثر بفعل بهدف لأجل اجل لكي كي نتيجه نتيجة
بفضل أدى ادى يؤدي مما تسبب تسببت لذلك ولذلك
because due since cause caused causes causing reason reasons result resulted order so therefore thus led lead
after following amid over`);

// Titles before a name; news text names people after them (الرئيس عبد المجيد تبون).
const TITLE_WORDS = fold(`
السيد السيده الرئيس رئيس الوزير وزير الأمير الامير الملك الشيخ الدكتور الفريق اللواء العقيد الجنرال
المستشار النائب العميد القائد المدير مدير الناطق المتحدث السفير سفير العمده عمده`);

const PLACE_WORDS = fold(`
مدينه بمدينه محافظه ولايه بولايه منطقه بمنطقه عاصمه العاصمه دوله بلد بلاد قريه جزيره اقليم إقليم شمال جنوب
شرق غرب وسط حي`);

const PLACE_PREPOSITIONS = new Set(['in', 'at', 'from', 'to', 'near', 'into', 'across', 'outside', 'inside']);
const HAS_DIGIT = /\d/;
const YEAR = /^(1[0-9]{3}|20[0-9]{2})(s|م|ه)?$/;
const QUOTE_MARKS = /[«»“”"]/;
const CAPITALISED = /^\p{Lu}[\p{L}\p{M}'’.-]*$/u;
const WORD = /[\p{L}\p{M}\p{N}'’.-]+/gu;

/** Finds the candidate answers of each kind in a sentence as written. */
export function kindMarks(sentence: string, sentenceTerms: readonly string[]): KindMarks {
  const tokens = tokenize(sentence);
  const quantity: string[] = [];
  const time: string[] = [];
  const reason: string[] = [];
  const person: string[] = [];
  const place: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const bare = withoutPrefix(token);
    if (HAS_DIGIT.test(token)) {
      quantity.push(token);
      if (YEAR.test(token)) time.push(token);
    } else if (NUMBER_WORDS.has(token) || NUMBER_WORDS.has(bare)) quantity.push(token);
    if (TIME_WORDS.has(token) || TIME_WORDS.has(bare)) time.push(token);
    if (CAUSE_WORDS.has(token)) reason.push(token);
    // An Arabic title is followed by the name it introduces.
    if ((TITLE_WORDS.has(token) || TITLE_WORDS.has(bare)) && tokens[i + 1] !== undefined) person.push(tokens[i + 1]!);
    if ((PLACE_WORDS.has(token) || PLACE_WORDS.has(bare)) && tokens[i + 1] !== undefined) place.push(tokens[i + 1]!);
  }
  // Latin script marks names with capitals; the sentence's first word is capitalised anyway.
  const written = sentence.match(WORD) ?? [];
  for (let i = 1; i < written.length; i++) {
    const word = written[i]!;
    if (!CAPITALISED.test(word)) continue;
    const folded = tokenize(word)[0];
    if (folded === undefined) continue;
    person.push(folded);
    if (PLACE_PREPOSITIONS.has(written[i - 1]!.toLowerCase())) place.push(folded);
  }
  const marks: KindMarks = {};
  if (quantity.length > 0) marks.quantity = quantity;
  if (time.length > 0) marks.time = time;
  if (reason.length > 0) marks.reason = reason;
  if (person.length > 0) marks.person = person;
  if (place.length > 0) marks.place = place;
  if (sentenceTerms.includes(REPORTING_CLASS) || QUOTE_MARKS.test(sentence)) marks.statement = ['~'];
  return marks;
}

/** Whether a sentence holds an answer of the kind asked for that the question does not already name. */
export function offersKind(marks: KindMarks, kind: AnswerKind, questionTokens: ReadonlySet<string>): boolean {
  const candidates = marks[kind];
  if (candidates === undefined) return false;
  if (kind === 'reason' || kind === 'statement') return true;
  return candidates.some((token) => !questionTokens.has(token) && !questionTokens.has(withoutPrefix(token)));
}

// و، ب، ل، ف and the article glued onto a number or month word: "وثلاثة", "بالمئة", "وفي".
const PREFIX = /^(?:[وف]?(?:بال|لل|ال|ب|ل|ك))|^[وف]/;
function withoutPrefix(token: string): string {
  const stripped = token.replace(PREFIX, '');
  return stripped.length >= 2 ? stripped : token;
}
