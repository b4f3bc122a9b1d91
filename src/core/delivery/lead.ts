/**
 * An article's first paragraph, for subscriptions that want it after the summary (format `full`):
 * the lede a reader would see first on the outlet's page.
 */

/**
 * Longest lead kept. A news lede runs two or three sentences (300–500 characters in the seed and
 * fixture articles); a first "paragraph" longer than this is a page without paragraph breaks, and
 * is cut at a word so summary and lead still fit one Telegram message (4096).
 */
export const MAX_LEAD_CHARS = 700;

/** The first paragraph of `text` (up to the first blank line, else its first line), cut to MAX_LEAD_CHARS at a word. */
export function firstParagraph(text: string): string {
  const paragraph = text.trim().split(/\n\s*\n/u)[0] ?? '';
  const lead = (paragraph.includes('\n') && paragraph.length > MAX_LEAD_CHARS ? paragraph.split('\n')[0]! : paragraph).replace(/\s+/gu, ' ').trim();
  if (lead.length <= MAX_LEAD_CHARS) return lead;
  const cut = lead.lastIndexOf(' ', MAX_LEAD_CHARS - 1);
  return `${lead.slice(0, cut > MAX_LEAD_CHARS / 2 ? cut : MAX_LEAD_CHARS - 1)}…`;
}
