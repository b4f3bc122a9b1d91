/**
 * /follow, /following and /unfollow: a chat follows a question, sees what it follows, and stops;
 * in a group only those who may manage the chat change what it follows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asker, commandServices, run, shown } from '../support/commands.js';
import { DEAL, TALKS } from '../support/followArticles.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const QUESTION = 'What grain tariff was set for Port Ellery?';

async function withTalks() {
  const s = await commandServices();
  stops.push(() => s.stop());
  await s.desk.postArticle({ text: TALKS }, { kind: 'operator' });
  return s;
}

describe('/follow', () => {
  it('follows a question, shows the answer as it stands, and lists it numbered in /following', async () => {
    const s = await withTalks();
    const view = await run(s, asker(), 'follow', QUESTION);
    const text = shown(view);
    expect(text).toContain(`Following "${QUESTION}". This chat gets the new answer when a new article changes it.`);
    expect(text).toContain('The answer now:');
    expect(text).toMatch(/Sources: Port Ellery trade talks open with no deal in sight \[[0-9a-f]{12}\]/);
    expect(shown(await run(s, asker(), 'follow', QUESTION))).toContain(`This chat already follows "${QUESTION}".`);
    expect(shown(await run(s, asker(), 'following'))).toBe(`Questions this chat follows (1 of at most 20):\n1 ${QUESTION}`);
    // Another chat follows nothing.
    expect(shown(await run(s, asker({ chatId: '555' }), 'following'))).toBe('This chat follows no questions. Follow one with /follow <question>.');
  });

  it('stops following by the number /following shows, and says so when the number is unknown', async () => {
    const s = await withTalks();
    await run(s, asker(), 'follow', QUESTION);
    const missing = await run(s, asker(), 'unfollow', '7');
    expect(missing.outcome).toBe('refused');
    expect(shown(missing)).toBe('No followed question is number or id "7"; /following lists them.');
    expect(shown(await run(s, asker(), 'unfollow', '1'))).toBe(`No longer following "${QUESTION}".`);
    expect(shown(await run(s, asker(), 'following'))).toContain('follows no questions');
    expect((await run(s, asker(), 'unfollow', '')).outcome).toBe('refused');
  });

  it('refuses a follow past the chat’s limit with a message naming it, in Arabic too', async () => {
    const s = await withTalks();
    for (let i = 0; i < 20; i++) expect((await run(s, asker(), 'follow', `Grain tariff question number ${i}?`)).outcome).toBe('ok');
    const refused = await run(s, asker(), 'follow', QUESTION);
    expect(refused.outcome).toBe('refused');
    expect(shown(refused)).toBe('This chat follows 20 questions, the most it may. Stop following one with /unfollow first.');
    expect(shown(await run(s, asker({ language: 'ar' }), 'follow', QUESTION))).toBe('تتابع هذه المحادثة 20 سؤالا، وهو الحد الأقصى. أوقف متابعة أحدها بـ /unfollow أولا.');
  });

  it('lets only those who may manage a group change what it follows; anyone may see it', async () => {
    const s = await withTalks();
    expect((await run(s, asker({ managesChat: false }), 'follow', QUESTION)).outcome).toBe('refused');
    expect((await run(s, asker({ managesChat: false }), 'following')).outcome).toBe('ok');
    await run(s, asker(), 'follow', QUESTION);
    expect((await run(s, asker({ managesChat: false }), 'unfollow', '1')).outcome).toBe('refused');
  });

  it('delivers the changed answer to the chat that followed it once a new article changes it', async () => {
    const s = await withTalks();
    await run(s, asker({ chatId: '321' }), 'follow', QUESTION);
    const [followed] = await s.follows!.list({ platform: 'telegram', chatId: '321' });
    const { article } = await s.desk.postArticle({ text: DEAL }, { kind: 'operator' });
    // Queued by the article's fan-out, which posting starts without waiting for it.
    await expect.poll(() => s.storage.outbox.get(`f:${followed!.id}:${article.id}`)).toMatchObject({ kind: 'follow-update', target: { chatId: '321' } });
  });
});
