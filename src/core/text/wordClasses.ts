/**
 * Word classes: words that readers and reporters use interchangeably for one meaning. A question
 * asks "ماذا قال" where the article writes "ذكر" or "صرّح", "what did he say" where it writes
 * "told" or "announced". Mapping every member to one class term, on both sides of the index, makes
 * them meet without a thesaurus of the whole language.
 *
 * Members are listed as written (with their usual conjugations and attached و/ف), folded at load.
 * Only verbs whose every listed form means "to state" in news text belong here: a form that also
 * means something else (أشار "pointed", بيّن "between") would merge unrelated words.
 */
import { foldForMatching } from './normalize.js';

/** The class term reporting verbs become; not a word of any language, so it meets nothing else. */
export const REPORTING_CLASS = '~say';

const ARABIC_REPORTING_STEMS = [
  // past 3rd person m./f./pl., present 3rd m./f., and the verbal noun where it is unambiguous
  'قال', 'قالت', 'قالوا', 'يقول', 'تقول', 'يقولون', 'قائلا', 'قوله', 'قولها',
  'ذكر', 'ذكرت', 'ذكروا', 'يذكر', 'تذكر',
  'صرح', 'صرّح', 'صرحت', 'صرّحت', 'صرحوا', 'يصرح', 'تصرح', 'تصريح', 'تصريحات', 'تصريحه', 'تصريحاته',
  'أكد', 'أكّد', 'أكدت', 'أكّدت', 'أكدوا', 'يؤكد', 'تؤكد',
  'أوضح', 'أوضحت', 'أوضحوا', 'يوضح', 'توضح',
  'أضاف', 'أضافت', 'أضافوا', 'يضيف', 'تضيف',
  'أعلن', 'أعلنت', 'أعلنوا', 'يعلن', 'تعلن',
  'أفاد', 'أفادت', 'يفيد', 'تفيد',
  'شدد', 'شدّد', 'شددت', 'شدّدت', 'يشدد', 'تشدد',
  'اعتبر', 'اعتبرت', 'يعتبر', 'تعتبر',
  'أبلغ', 'أبلغت',
];

const ENGLISH_REPORTING = [
  'say', 'says', 'said', 'saying', 'tell', 'tells', 'told', 'telling', 'state', 'states', 'stated',
  'announce', 'announces', 'announced', 'add', 'adds', 'added', 'declare', 'declares', 'declared',
  'claim', 'claims', 'claimed', 'explain', 'explains', 'explained', 'insist', 'insists', 'insisted',
  'warn', 'warns', 'warned', 'stress', 'stresses', 'stressed',
];

function withConjunctions(word: string): string[] {
  return [word, `و${word}`, `ف${word}`];
}

const CLASS_OF = new Map<string, string>();
for (const word of ARABIC_REPORTING_STEMS.flatMap(withConjunctions)) CLASS_OF.set(foldForMatching(word), REPORTING_CLASS);
for (const word of ENGLISH_REPORTING) CLASS_OF.set(word, REPORTING_CLASS);

/** The class term of a folded token, or undefined when it belongs to no class. */
export function wordClassOf(foldedToken: string): string | undefined {
  return CLASS_OF.get(foldedToken);
}
