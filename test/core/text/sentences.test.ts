import { describe, it, expect } from 'vitest';
import { splitSentences } from '../../../src/core/text/sentences.js';

const FIRST =
  'الجزائر – تواصل الجزائر والولايات المتحدة الأميركية مشاوراتهما حول التعاون الأمني والعسكري في المنطقة، فرغم تضارب مصالح الطرفين في عدد من الملفات المتصلة بالحرب على الإرهاب ودور كل منهما في المنطقة، إلا أن التطورات المستجدة في مالي والوضع الليبي، أحيا الطموح الأميركي لوضع موطئ قدم بالمنطقة عبر بوابة الجزائر.';
const SECOND =
  'وفي بيان أصدرته السفارة الأميركية في الجزائر، ذكر قائد القيادة العسكرية الأميركية في أفريقيا الجنرال ستيفن تاونسند، بأنه “لدينا الكثير لنتعلمه ونتشاركه مع بعضنا البعض، وإن تعزيز هذه العلاقة مهمّ جدا بالنسبة لنا”، في إشارة إلى خبرة الجيش الجزائري في الحرب على الإرهاب.';

describe('splitSentences — Arabic', () => {
  it('splits an Arabic paragraph at full stops but not at Arabic commas', () => {
    expect(splitSentences(`${FIRST} ${SECOND}`)).toEqual([FIRST, SECOND]);
  });

  it('splits at the Arabic question mark and keeps the closing quote with its sentence', () => {
    expect(splitSentences('وسأل الصحفي: “هل ستزور الجزائر قريبا؟” فأجاب الجنرال بالإيجاب. وانتهى اللقاء.')).toEqual([
      'وسأل الصحفي: “هل ستزور الجزائر قريبا؟”',
      'فأجاب الجنرال بالإيجاب.',
      'وانتهى اللقاء.',
    ]);
  });

  it('does not split at the Arabic semicolon or a colon', () => {
    const sentence = 'قال المسؤول: إن التعاون مستمر؛ والمشاورات متواصلة.';
    expect(splitSentences(sentence)).toEqual([sentence]);
  });

  it('ends a sentence at every line break, since pasted news has one paragraph per line', () => {
    expect(splitSentences('الجزائر – تواصل المشاورات\nوفي بيان أصدرته السفارة\n\nانتهى')).toEqual([
      'الجزائر – تواصل المشاورات',
      'وفي بيان أصدرته السفارة',
      'انتهى',
    ]);
  });
});

describe('splitSentences — English', () => {
  it('does not split after titles, initials, U.S. before a name, or inside decimals', () => {
    const text =
      'Mr. Smith met Gen. Stephen Townsend and J. K. Rowling in Algiers on Jan. 5 at 10 a.m. local time. ' +
      'The U.S. Africa Command pledged 3.5 million dollars, or 1.000 units, to the programme.';
    expect(splitSentences(text)).toEqual([
      'Mr. Smith met Gen. Stephen Townsend and J. K. Rowling in Algiers on Jan. 5 at 10 a.m. local time.',
      'The U.S. Africa Command pledged 3.5 million dollars, or 1.000 units, to the programme.',
    ]);
  });

  it('still ends a sentence on U.S. when a new sentence clearly starts', () => {
    expect(splitSentences('Sanctions were lifted by the U.S. The move surprised analysts.')).toEqual([
      'Sanctions were lifted by the U.S.',
      'The move surprised analysts.',
    ]);
  });

  it('keeps closing quotes with the sentence and continues after a quoted question', () => {
    expect(
      splitSentences('"We have a lot to learn from each other." Is this a new era? “Why now?” he asked. Officials declined to comment!'),
    ).toEqual([
      '"We have a lot to learn from each other."',
      'Is this a new era?',
      '“Why now?” he asked.',
      'Officials declined to comment!',
    ]);
  });

  it('does not split a web address, and not at an ellipsis followed by lower case', () => {
    expect(splitSentences('Details are at example.com… and more will follow. Stay tuned.')).toEqual([
      'Details are at example.com… and more will follow.',
      'Stay tuned.',
    ]);
  });

  it('keeps a numbered list item together', () => {
    expect(splitSentences('1. Talks resumed in Algiers.\n2. A deal is expected.')).toEqual([
      '1. Talks resumed in Algiers.',
      '2. A deal is expected.',
    ]);
  });

  it('drops lines that are only punctuation or numbers, such as a stray quote', () => {
    expect(splitSentences("The talks ended.\n'\n2024\nA deal is expected.")).toEqual(['The talks ended.', 'A deal is expected.']);
  });

  it('returns nothing for empty text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  \n ')).toEqual([]);
  });
});
