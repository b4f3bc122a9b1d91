import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { deliveryMessage, escapeText, summaryEmbed, truncate } from '../../../src/adapters/discord/format.js';
import { viewPayloads } from '../../../src/adapters/discord/render.js';
import { answerView } from '../../../src/commands/views.js';
import type { Answer } from '../../../src/core/types.js';
import { messages, type UiLanguage } from '../../../src/i18n/messages.js';

/** An answer as the bot sends it on Discord: one embed per message. */
const answerMessages = (answer: Answer, language: UiLanguage) => viewPayloads(answerView(answer, messages(language))) as { embeds: APIEmbed[] }[];

const answer = (text: string, extra: Partial<Answer> = {}): Answer => ({
  found: true,
  text,
  language: 'en',
  citations: [{ articleId: 'abc123def456', title: '**Rates** @everyone', quote: 'quoted elsewhere', url: 'https://news.example/a' }],
  cached: false,
  engine: 'embedded',
  ...extra,
});

describe('Discord formatting', () => {
  it('escapes markdown and never pings', () => {
    expect(escapeText('**bold** _x_ \u202eflip')).toBe('\\*\\*bold\\*\\* \\_x\\_ flip');
    const [message] = answerMessages(answer('Ask @everyone about *this*'), 'en');
    expect(message!.embeds[0]!.description).toBe('Ask @everyone about \\*this\\*');
    expect(message!.embeds[0]!.fields![0]).toEqual({
      name: 'Sources: abc123def456',
      value: '[\\*\\*Rates\\*\\* @everyone](https://news.example/a)\n> quoted elsewhere',
    });
  });

  it('shows a masked link from article text as the text and the address it really is', () => {
    expect(escapeText('Log in at [your bank](http://evil.example/login) now')).toBe('Log in at \\[your bank\\](http://evil.example/login) now');
    const embed = summaryEmbed({ title: 'Rates [rise]', articleId: 'abc123def456', sentences: ['Verify at [the ministry](http://evil.example).'], url: 'https://news.example/a' });
    expect(embed.description).toBe('• Verify at \\[the ministry\\](http://evil.example).');
    expect(JSON.stringify(embed)).not.toMatch(/[^\\]\[the ministry\]\(/u);
  });

  it('splits a long answer into messages whose embeds keep to 4096 characters, sources on the last', () => {
    const long = 'The council agreed on most of the budget after a long debate. '.repeat(140);
    const parts = answerMessages(answer(long), 'en');
    expect(long.length).toBeGreaterThan(8_000);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.embeds[0]!.description!.length).toBeLessThanOrEqual(4096);
    expect(parts[2]!.embeds[0]!.fields).toHaveLength(1);
    expect(parts[0]!.embeds[0]!.fields).toBeUndefined();
  });

  it('keeps titles within 256 characters and uses Arabic labels for Arabic deliveries', () => {
    expect(truncate('word '.repeat(100), 256).length).toBeLessThanOrEqual(256);
    const message = deliveryMessage({ kind: 'article', summary: { articleId: 'a1', title: 'عنوان', language: 'ar', sentences: ['جملة أولى.'] } }, 'ar');
    expect(message.content).toBe('📰 مقال جديد');
    expect(message.embeds![0]).toMatchObject({ title: 'عنوان', description: '• جملة أولى.', footer: { text: 'a1' } });
  });

  it('sends a followed question’s new answer as an answer embed under the question, pinging nobody', () => {
    const message = deliveryMessage(
      { kind: 'follow-update', language: 'en', answer: { question: 'Who won @everyone?', text: 'Riverside won.', language: 'en', citations: [{ articleId: 'c3', title: 'Cup final', quote: 'Riverside won.' }] } },
      'en',
    );
    expect(message.content).toBe('🔔 New answer to a question you follow: "Who won @everyone?"');
    expect(message.allowedMentions).toEqual({ parse: [] });
    expect(message.embeds![0]).toMatchObject({ description: 'Riverside won.', fields: [{ name: 'Sources: c3', value: 'Cup final' }] });
  });

  it('writes a story update as one line naming the other outlet, its link kept from unfolding a preview', () => {
    const message = deliveryMessage(
      { kind: 'update', summary: { articleId: 'a2', title: 'Solar plant opens', language: 'en', sentences: [], url: 'https://oasis-times.example/solar' }, outlet: 'oasis-times.example' },
      'ar',
    );
    expect(message.content).toBe('🔗 ورد الخبر أيضاً في oasis-times.example: Solar plant opens <https://oasis-times.example/solar>');
    expect(message.embeds).toBeUndefined();
  });

  it('keeps a story update one line whatever format and previews its subscription asked for', () => {
    const update = { kind: 'update' as const, summary: { articleId: 'a2', title: 'Solar plant opens', language: 'en' as const, sentences: [], url: 'https://oasis-times.example/solar' }, outlet: 'oasis-times.example' };
    for (const style of [{ format: 'headline' as const, previews: true }, { format: 'full' as const, previews: false }]) {
      expect(deliveryMessage({ ...update, style }, 'en')).toEqual({
        content: '🔗 Also reported by oasis-times.example: Solar plant opens <https://oasis-times.example/solar>',
        allowedMentions: { parse: [] },
      });
    }
  });
});

describe('a Discord delivery in its subscription’s format', () => {
  const summary = { articleId: 'a1', title: 'Port reopens', language: 'en' as const, sentences: ['Ships sail again.'], url: 'https://news.example/port', lead: 'The port reopened at dawn.' };

  it('is a headline line with no embed for headline, suppressing the link preview unless previews are on', () => {
    const off = deliveryMessage({ kind: 'article', summary, style: { format: 'headline', previews: false } }, 'en');
    expect(off).toEqual({ content: '📰 New article\n**[Port reopens](https://news.example/port)** `a1`', allowedMentions: { parse: [] }, flags: 4 });
    const on = deliveryMessage({ kind: 'article', summary, style: { format: 'headline', previews: true } }, 'en');
    expect(on).not.toHaveProperty('flags');
  });

  it('adds the first paragraph to the embed for full, and the link to the text, which Discord previews, when previews are on', () => {
    const full = deliveryMessage({ kind: 'article', summary, style: { format: 'full', previews: true } }, 'en');
    expect(full.content).toBe('📰 New article\nhttps://news.example/port');
    expect((full.embeds as APIEmbed[])[0]!.description).toBe('• Ships sail again.\n\nThe port reopened at dawn.');
    expect(deliveryMessage({ kind: 'article', summary }, 'en').content).toBe('📰 New article');
  });
});
