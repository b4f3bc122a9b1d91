/**
 * /delete <id>: admins delete an article, which is then neither delivered nor cited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sampleArticle } from '../support/fixtures.js';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('/delete', () => {
  it('refuses anyone but an admin before saying anything else, tells an admin the usage, and deletes by a short id', async () => {
    const s = await commandServices();
    stops.push(() => s.stop());
    const { article } = await s.desk.postArticle({ text: sampleArticle('en-flood-barrier.txt') }, { kind: 'operator' });
    expect(shown(await run(s, asker(), 'delete'))).toBe('Only admins can delete articles.');
    expect(shown(await run(s, asker(), 'delete', article.id))).toBe('Only admins can delete articles.');
    const admin = asker({ admin: true });
    expect(shown(await run(s, admin, 'delete'))).toBe('Usage: /delete <id> (send /articles to see the ids)');
    expect(shown(await run(s, admin, 'delete', article.id.slice(0, 5)))).toBe(
      `Deleted article ${article.id}: ${article.title}. It will not be delivered or cited again.`,
    );
    expect(s.desk.articleCount).toBe(0);
    expect(shown(await run(s, asker({ admin: true, language: 'ar' }), 'delete', article.id))).toBe('لا توجد مقالات مخزنة بعد. يمكن للمشرف إضافة مقال بالأمر ‎/post‎.');
  });
});
