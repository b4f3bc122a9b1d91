/**
 * Deleting an article through the desk: admins only, found by a short id like the other commands,
 * out of this process's index at once, never cited or served from the answer cache again, and its
 * pending deliveries gone from the outbox.
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import type { CachedAnswer } from '../../src/core/answerCache.js';
import { startDelivery } from '../../src/core/delivery/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { createSubscriptions } from '../../src/core/subscriptions.js';
import type { Actor } from '../../src/core/types.js';
import { errorText } from '../../src/i18n/errors.js';
import { openTestDesk } from '../support/desk.js';
import { sampleArticle } from '../support/fixtures.js';

const operator: Actor = { kind: 'operator' };
const admin: Actor = { kind: 'user', platform: 'telegram', userId: '1' };
const stranger: Actor = { kind: 'user', platform: 'telegram', userId: '2' };
const SOLAR_QUESTION = 'ما هي قدرة محطة الطاقة الشمسية الجديدة؟';

async function rig() {
  const answerCache = new Keyv<CachedAnswer>();
  // No poll: whatever the desk knows after a delete it learned from the delete itself.
  const { desk, storage } = await openTestDesk({ answerCache, changePollMs: 0 });
  const subscriptions = createSubscriptions(storage.subscriptions, 'UTC');
  await subscriptions.subscribe({ platform: 'telegram', chatId: '10', kind: 'private' }, { mode: 'each' }, new Date());
  // No Telegram sender in this process: the deliveries stay pending, as a CLI post leaves them.
  const delivery = await startDelivery({
    storage,
    desk,
    subscriptions,
    senders: new Map(),
    limits: new Map(),
    logger: silentLogger,
    owner: 'test',
    digestCheckMs: 0,
    fanOutSweepMs: 0,
  });
  return { desk, storage, delivery, answerCache };
}

describe('deleting an article', () => {
  it('is no longer answered from, cached answers citing it are not served, and its pending deliveries go', async () => {
    const { desk, storage, delivery } = await rig();
    await desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, operator);
    const { article: solar } = await desk.postArticle({ text: sampleArticle('ar-solar-plant.txt') }, operator);
    await delivery.settled();
    expect((await storage.outbox.counts()).pending).toBe(2);

    const before = await desk.ask(SOLAR_QUESTION);
    expect(before).toMatchObject({ found: true, cached: false });
    expect(before.citations[0]!.articleId).toBe(solar.id);
    expect(await desk.ask(SOLAR_QUESTION)).toMatchObject({ cached: true });

    // A short id, as /articles shows them and the other commands take them.
    const deleted = await desk.deleteArticle(solar.id.slice(0, 6), admin);
    expect(deleted).toMatchObject({ id: solar.id, title: solar.title });
    expect(desk.articleCount).toBe(1);

    const after = await desk.ask(SOLAR_QUESTION);
    expect(after.cached).toBe(false);
    expect(after.citations.map((c) => c.articleId)).not.toContain(solar.id);
    expect(after.text).not.toBe(before.text);

    await expect(desk.getArticle(solar.id)).rejects.toMatchObject({ code: 'ARTICLE_NOT_FOUND' });
    expect((await desk.listArticles()).items.map((i) => i.id)).not.toContain(solar.id);
    const counts = await storage.outbox.counts();
    expect(counts.pending).toBe(1);
    expect(counts.byArticle.find((row) => row.articleId === solar.id)?.pending ?? 0).toBe(0);
    expect(await storage.outbox.get(`a:${solar.id}:telegram:10`)).toBeUndefined();
    await delivery.stop();
    await desk.close();
  });

  it('is refused to someone who is not an admin, and an unknown id is named', async () => {
    const { desk, delivery } = await rig();
    const { article } = await desk.postArticle({ text: sampleArticle('en-rail-strike.txt') }, operator);
    const refused = await desk.deleteArticle(article.id, stranger).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'NOT_ADMIN' });
    expect(errorText(refused, 'en')).toBe('Only admins can delete articles.');
    expect(errorText(refused, 'ar')).toBe('حذف المقالات للمشرفين فقط.');
    expect(desk.articleCount).toBe(1);
    expect((await desk.getArticle(article.id)).id).toBe(article.id);

    await expect(desk.deleteArticle('0000ffff', admin)).rejects.toMatchObject({ code: 'ARTICLE_NOT_FOUND' });
    await desk.deleteArticle(article.id, operator);
    // Twice: the second finds nothing.
    await expect(desk.deleteArticle(article.id, operator)).rejects.toMatchObject({ code: 'NO_ARTICLES' });
    await delivery.stop();
    await desk.close();
  });
});
