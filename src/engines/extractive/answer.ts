/**
 * Extractive answers: the sentence that retrieval found to hold the answer, quoted as stored and
 * cited by article, joined by the sentence next to it only when that one holds the part of the
 * question the first lacks.
 */
import type { AnswerRequest, EngineAnswer, Passage } from '../../core/engine.js';
import type { Citation } from '../../core/types.js';

// Quotes longer than this are cut around the start of the sentence; chat messages stay short.
const MAX_QUOTE_CHARS = 600;

/** Answers from the best passage's answer sentence (and its complement); never invents text. */
export function answerFromPassages(request: AnswerRequest): EngineAnswer {
  const passage: Passage | undefined = request.passages[0];
  const answer = passage?.sentences.find((sentence) => sentence.role === 'answer');
  if (passage === undefined || answer === undefined) return { found: false, text: '', citations: [] };
  const chosen = passage.sentences
    .filter((sentence) => sentence.role === 'answer' || (request.maxSentences > 1 && sentence.role === 'complement'))
    .sort((x, y) => x.index - y.index);
  const text = chosen.map((sentence) => shorten(sentence.quote ?? sentence.text)).join(' ');
  const citation: Citation = {
    articleId: passage.articleId,
    title: passage.title,
    quote: text,
    ...(passage.url === undefined ? {} : { url: passage.url }),
    language: passage.language,
  };
  return { found: true, text, citations: [citation] };
}

function shorten(sentence: string): string {
  if (sentence.length <= MAX_QUOTE_CHARS) return sentence;
  const cut = sentence.lastIndexOf(' ', MAX_QUOTE_CHARS);
  return `${sentence.slice(0, cut > 0 ? cut : MAX_QUOTE_CHARS)} …`;
}
