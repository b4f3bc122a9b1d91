/**
 * Extractive answers: the sentence(s) of the retrieved passages that cover the question best,
 * quoted as stored and cited by article.
 */
import type { AnswerRequest, EngineAnswer, Passage, PassageSentence } from '../../core/engine.js';
import type { Citation } from '../../core/types.js';

// A second sentence joins the answer only when it is nearly as good as the first.
const SECOND_SENTENCE_RATIO = 0.7;
// Quotes longer than this are cut around the start of the sentence; chat messages stay short.
const MAX_QUOTE_CHARS = 600;

interface Candidate {
  readonly passage: Passage;
  readonly sentence: PassageSentence;
  readonly value: number;
}

/** Answers from the best-matching sentences of the passages; never invents text. */
export function answerFromPassages(request: AnswerRequest): EngineAnswer {
  const candidates: Candidate[] = [];
  for (const passage of request.passages) {
    for (const sentence of passage.sentences) {
      if (sentence.coverage <= 0) continue;
      candidates.push({ passage, sentence, value: sentence.coverage * (0.5 + 0.5 * passage.score) });
    }
  }
  if (candidates.length === 0) return { found: false, text: '', citations: [] };
  candidates.sort((x, y) => y.value - x.value);

  const chosen: Candidate[] = [candidates[0]!];
  for (const candidate of candidates.slice(1)) {
    if (chosen.length >= request.maxSentences) break;
    if (candidate.value < SECOND_SENTENCE_RATIO * chosen[0]!.value) break;
    if (chosen.some((c) => c.sentence.text === candidate.sentence.text)) continue;
    chosen.push(candidate);
  }
  // Sentences of one article read best in the article's order.
  chosen.sort((x, y) =>
    x.passage.articleId === y.passage.articleId ? x.sentence.index - y.sentence.index : y.value - x.value,
  );

  const citations: Citation[] = [];
  for (const candidate of chosen) {
    const quote = shorten(candidate.sentence.text);
    const existing = citations.findIndex((c) => c.articleId === candidate.passage.articleId);
    if (existing >= 0) {
      const previous = citations[existing]!;
      citations[existing] = { ...previous, quote: `${previous.quote} ${quote}` };
    } else {
      citations.push({
        articleId: candidate.passage.articleId,
        title: candidate.passage.title,
        quote,
        ...(candidate.passage.url === undefined ? {} : { url: candidate.passage.url }),
      });
    }
  }
  return { found: true, text: chosen.map((c) => shorten(c.sentence.text)).join(' '), citations };
}

function shorten(sentence: string): string {
  if (sentence.length <= MAX_QUOTE_CHARS) return sentence;
  const cut = sentence.lastIndexOf(' ', MAX_QUOTE_CHARS);
  return `${sentence.slice(0, cut > 0 ? cut : MAX_QUOTE_CHARS)} …`;
}
