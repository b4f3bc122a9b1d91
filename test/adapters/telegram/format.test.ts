import { describe, expect, it } from 'vitest';
import { deliveryHtml, escapeHtml, htmlToPlain, splitHtml, TELEGRAM_MESSAGE_LIMIT } from '../../../src/adapters/telegram/format.js';
import { viewHtml } from '../../../src/adapters/telegram/render.js';
import { answerView } from '../../../src/commands/views.js';
import type { Answer } from '../../../src/core/types.js';
import { messages, type UiLanguage } from '../../../src/i18n/messages.js';

/** An answer as the bot sends it on Telegram. */
const answerHtml = (answer: Answer, language: UiLanguage) => viewHtml(answerView(answer, messages(language)));

const answer = (text: string, extra: Partial<Answer> = {}): Answer => ({
  found: true,
  text,
  language: 'en',
  citations: [{ articleId: 'abc123def456', title: 'Rates <up> & "away"', quote: text, url: 'https://news.example/a?x=1&y=2' }],
  cached: false,
  engine: 'embedded',
  ...extra,
});

/** The visible text of a Telegram HTML message, as Telegram counts it. */
function visible(html: string): string {
  return htmlToPlain(html.replace(/<a href="[^"]*">/g, '').replace(/<\/a>/g, ''));
}

describe('Telegram HTML', () => {
  it('escapes every piece of article and user text, and removes bidi controls', () => {
    expect(escapeHtml('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; &quot;d&quot;');
    expect(escapeHtml('\u202eevil\u202c text')).toBe('evil text');
    const html = answerHtml(answer('<script>alert(1)</script>'), 'en');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://news.example/a?x=1&amp;y=2">Rates &lt;up&gt; &amp; &quot;away&quot;</a>');
  });

  it('never links a citation to anything but http(s)', () => {
    const html = answerHtml(answer('x', { citations: [{ articleId: 'a', title: 't', quote: 'q', url: 'javascript:alert(1)' }] }), 'en');
    expect(html).not.toContain('javascript:');
  });

  it('writes Arabic answers with Arabic labels', () => {
    const html = answerHtml(answer('افتتح الوزير المحطة.', { language: 'ar', cached: true }), 'ar');
    expect(html).toContain('<b>المصادر:</b>');
    expect(html).toContain('(من الذاكرة المؤقتة)');
  });

  it('renders a digest with one block per article', () => {
    const html = deliveryHtml(
      {
        kind: 'digest',
        language: 'en',
        summaries: [
          { articleId: 'a1', title: 'One', language: 'en', sentences: ['First.'] },
          { articleId: 'a2', title: 'Two', language: 'en', sentences: ['Second.'], url: 'https://x.example' },
        ],
      },
      'en',
    );
    expect(html).toMatch(/News digest[\s\S]*<b>One<\/b>[\s\S]*• First\.[\s\S]*<b><a href="https:\/\/x.example">Two<\/a><\/b>/);
  });

  it('renders a followed question’s new answer under its question, with the new source linked, in the answer’s language', () => {
    const citation = { articleId: 'b2', title: 'الاتفاق <وُقّع>', quote: 'وُقّع الاتفاق.', url: 'https://x.example/b2' };
    const html = deliveryHtml({ kind: 'follow-update', language: 'ar', answer: { question: 'ما الرسوم؟', text: 'وُقّع الاتفاق.', language: 'ar', citations: [citation] } }, 'ar');
    expect(html).toBe(
      ['🔔 <i>إجابة جديدة لسؤال تتابعه: «ما الرسوم؟»</i>', 'وُقّع الاتفاق.', '', '<b>المصادر:</b>', '• <a href="https://x.example/b2">الاتفاق &lt;وُقّع&gt;</a> <code>b2</code>'].join('\n'),
    );
  });

  it('writes a story update as one line naming the other outlet, linked to its report, in the chat’s language', () => {
    const summary = { articleId: 'a2', title: 'محطة الواحات', language: 'ar' as const, sentences: [], url: 'https://oasis-times.example/solar' };
    expect(deliveryHtml({ kind: 'update', summary, outlet: 'oasis-times.example' }, 'en')).toBe(
      '🔗 <i>Also reported by oasis-times.example</i>: <a href="https://oasis-times.example/solar">محطة الواحات</a>',
    );
    expect(deliveryHtml({ kind: 'update', summary, outlet: 'oasis-times.example' }, 'ar')).toBe(
      '🔗 <i>ورد الخبر أيضاً في oasis-times.example</i>: <a href="https://oasis-times.example/solar">محطة الواحات</a>',
    );
  });
});

describe('a delivery in its subscription’s format', () => {
  const summary = { articleId: 'a1', title: 'Port reopens', language: 'en' as const, sentences: ['Ships sail again.'], url: 'https://news.example/port', lead: 'The port reopened at dawn <after> a week.' };

  it('is the summary by default, the headline and link alone for headline, and the summary and first paragraph for full', () => {
    const plain = deliveryHtml({ kind: 'article', summary }, 'en');
    expect(plain).toBe('📰 <i>New article</i>\n<b><a href="https://news.example/port">Port reopens</a></b> <code>a1</code>\n• Ships sail again.');
    expect(deliveryHtml({ kind: 'article', summary, style: { format: 'headline', previews: false } }, 'en')).toBe(
      '📰 <i>New article</i>\n<b><a href="https://news.example/port">Port reopens</a></b> <code>a1</code>',
    );
    expect(deliveryHtml({ kind: 'article', summary, style: { format: 'full', previews: false } }, 'en')).toBe(
      `${plain}\n\nThe port reopened at dawn &lt;after&gt; a week.`,
    );
  });

  it('stacks a digest’s headlines one per line', () => {
    const html = deliveryHtml({ kind: 'digest', language: 'en', summaries: [summary, { ...summary, articleId: 'a2', title: 'Rail strike' }], style: { format: 'headline', previews: false } }, 'en');
    expect(html.split('\n')).toEqual(['📰 <b>News digest</b>', expect.stringContaining('Port reopens'), expect.stringContaining('Rail strike')]);
  });
});

describe('splitHtml', () => {
  it('splits a 5,000-character answer into messages within the limit, losing nothing', () => {
    const sentence = 'The council & the mayor agreed on <the> budget after “long” talks. ';
    const long = sentence.repeat(Math.ceil(5_000 / sentence.length));
    const html = answerHtml(answer(long), 'en');
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      // No part ends inside an entity or carries a half-open tag.
      expect(part).not.toMatch(/&[a-z]*$/);
      expect((part.match(/<b>/g) ?? []).length).toBe((part.match(/<\/b>/g) ?? []).length);
    }
    expect(visible(parts.join(' ')).replace(/\s+/g, ' ')).toContain(long.trim().replace(/\s+/g, ' ').slice(0, 2_000));
  });

  it('does not cut an emoji or an entity in half when a line has no spaces', () => {
    const line = '😀'.repeat(3_000) + '&amp;'.repeat(500);
    const parts = splitHtml(line, 1_000);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1_000);
      expect(/[\ud800-\udbff]$/.test(part)).toBe(false);
      expect(part).not.toMatch(/&[a-z]*$/);
    }
    expect(parts.join('')).toBe(line);
  });

  it('keeps short messages whole', () => {
    expect(splitHtml('<b>Title</b>\n• one\n• two')).toEqual(['<b>Title</b>\n• one\n• two']);
  });
});
