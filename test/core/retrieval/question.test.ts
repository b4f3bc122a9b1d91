import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../../src/core/retrieval/question.js';
import { kindMarks, offersKind } from '../../../src/core/retrieval/answerKinds.js';
import { REPORTING_CLASS, terms } from '../../../src/core/text/index.js';

const kindOf = (question: string) => analyzeQuestion(question).kind;

describe('reading a question', () => {
  it('knows what MSA, dialect and English question words ask for', () => {
    expect(kindOf('متى افتتحت المحطة؟')).toBe('time');
    expect(kindOf('امتى رح تفتح المحطة؟')).toBe('time');
    expect(kindOf('وين سافر الوزير؟')).toBe('place');
    expect(kindOf('سافر الوزير وين؟')).toBe('place');
    expect(kindOf('شحال كلفت المحطة؟')).toBe('quantity');
    expect(kindOf('قديش عدد العمال؟')).toBe('quantity');
    expect(kindOf('من افتتح المحطة؟')).toBe('person');
    expect(kindOf('شكون افتتح المحطة؟')).toBe('person');
    expect(kindOf('ليش غضب الصيادون؟')).toBe('reason');
    expect(kindOf('When did the barrier open?')).toBe('time');
    expect(kindOf('How many homes were flooded?')).toBe('quantity');
    expect(kindOf('Why are fishermen unhappy?')).toBe('reason');
    expect(kindOf('Is the strike still going ahead?')).toBe('yesno');
  });

  it('reads "what year", "how big" and "أي عام" as questions about a time or an amount', () => {
    expect(kindOf('What year did the plant open?')).toBe('time');
    expect(kindOf('في أي عام افتتحت المحطة؟')).toBe('time');
    expect(kindOf('ما عدد سكان المدينة؟')).toBe('quantity');
    expect(kindOf('How big is the pay rise?')).toBe('quantity');
  });

  it('asks for a statement when it asks what someone said, however the verb is written', () => {
    expect(kindOf('ماذا قال الوزير؟')).toBe('statement');
    expect(kindOf('What did the mayor say about the gates?')).toBe('statement');
    expect(analyzeQuestion('ماذا صرّح الوزير؟').terms).toContain(REPORTING_CLASS);
  });

  it('does not search for the words that only frame the question', () => {
    expect(analyzeQuestion('What is the name of the mayor?').terms).toEqual(terms('mayor'));
    expect(analyzeQuestion('How big is the pay rise?').terms).toEqual(terms('pay rise'));
  });
});

describe('what kind of answer a sentence holds', () => {
  const question = analyzeQuestion('How many homes were flooded in 2019?');

  it('finds a number the question does not already name', () => {
    const marks = kindMarks('Storms flooded more than 3,000 homes in 2019.', terms('Storms flooded more than 3,000 homes in 2019.'));
    expect(offersKind(marks, 'quantity', question.tokens)).toBe(true);
    const onlyTheYear = kindMarks('Storms flooded the harbour in 2019.', []);
    expect(offersKind(onlyTheYear, 'quantity', question.tokens)).toBe(false);
  });

  it('finds Arabic number words, months and causes', () => {
    expect(offersKind(kindMarks('بلغت الكلفة ثلاثة ملايين دولار', []), 'quantity', new Set())).toBe(true);
    expect(offersKind(kindMarks('افتتحت المحطة في أكتوبر الماضي', []), 'time', new Set())).toBe(true);
    expect(offersKind(kindMarks('تأخر المشروع بسبب الأمطار', []), 'reason', new Set())).toBe(true);
    expect(offersKind(kindMarks('افتتحت المحطة في المدينة', []), 'time', new Set())).toBe(false);
  });
});
