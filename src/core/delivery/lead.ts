/**
 * An article's first paragraph, for subscriptions that want it after the summary (format `full`):
 * the lede a reader would see first on the outlet's page.
 */

/**
 * Longest lead kept. The ledes of the six sample articles (examples/articles) run 154 to 212
 * characters, so 700 keeps an ordinary lede whole; a first "paragraph" far longer is a page without
 * paragraph breaks, and is cut at a word so the summary and the lead still fit one Telegram message
 * (4096).
 */
export const MAX_LEAD_CHARS = 700;

// Prose ends a sentence; a headline, a byline or a dateline above the text does not.
const SENTENCE_END = /[.!?؟…]["'»”’)]*$/u;

/**
 * The article's first paragraph of prose: the first one (split at blank lines) that ends a sentence
 * and is not the title, since pasted and fetched texts often repeat their headline above the lede;
 * the first paragraph when none does. Whitespace is collapsed and it is cut to MAX_LEAD_CHARS at a word.
 */
export function firstParagraph(text: string, title = ''): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/u)
    .map((p) => p.replace(/\s+/gu, ' ').trim())
    .filter((p) => p !== '');
  const heading = title.replace(/\s+/gu, ' ').trim();
  const lead = paragraphs.find((p) => SENTENCE_END.test(p) && (heading === '' || !p.startsWith(heading))) ?? paragraphs[0] ?? '';
  if (lead.length <= MAX_LEAD_CHARS) return lead;
  const cut = lead.lastIndexOf(' ', MAX_LEAD_CHARS - 1);
  return `${lead.slice(0, cut > MAX_LEAD_CHARS / 2 ? cut : MAX_LEAD_CHARS - 1)}…`;
}
