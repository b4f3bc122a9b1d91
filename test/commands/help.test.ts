/**
 * /help says what this surface can do, in the words that fit how input arrives here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asker, commandServices, run, shown } from '../support/commands.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function helpOn(platform: 'telegram' | 'discord' | 'console', language: 'ar' | 'en' = 'en', withoutDelivery = false) {
  const services = await commandServices({ withoutDelivery });
  stops.push(() => services.stop());
  return shown(await run(services, asker({ platform, language }), 'help'));
}

describe('/help', () => {
  it('on Telegram, tells how to post there and promises no paste mode', async () => {
    const help = await helpOn('telegram');
    expect(help).toMatch(/^akhbar: a news desk\. Commands:/);
    expect(help).toContain('/post <text>: store an article; or reply /post to a message, send a .txt file with /post as its caption');
    expect(help).not.toMatch(/paste/i);
    expect(help).not.toContain('/quit');
    expect(help).toContain('/status: delivery figures (admins)');
  });

  it('on Discord, tells of the text and file options and the form', async () => {
    const help = await helpOn('discord');
    expect(help).toContain('/post text: store an article');
    expect(help).toContain('opens a form');
    expect(help).not.toMatch(/caption|forward/);
    expect(help).toContain('/filter [where] [rule]: show which articles this channel or thread lets through');
    expect(help).toContain('where: forum subscribes the forum');
  });

  it('tells how to filter a subscription and test an article against it, in Arabic too', async () => {
    expect(await helpOn('telegram')).toContain('/filter test <article id>: why that article would arrive here or not');
    expect(await helpOn('telegram', 'ar')).toContain('/filter test <معرف مقال>: لماذا يصل ذلك المقال هنا أو لا يصل');
  });

  it('on the console, tells of paste mode, /cancel, /quit and the Arabic names, without "(admins)"', async () => {
    const help = await helpOn('console');
    expect(help).toContain('/post alone: paste the article, then end it with a line holding a single "."');
    expect(help).toContain('/cancel: stop pasting an article');
    expect(help).toContain('/quit: leave the console');
    expect(help).toContain('/مساعدة (/help)');
    expect(help).toContain('/اسأل (/ask)');
    expect(help).not.toContain('(admins)');
  });

  it('in Arabic, keeps each line right to left', async () => {
    const help = await helpOn('telegram', 'ar');
    const lines = help.split('\n');
    expect(lines[0]).toBe('أخبار: مكتب أخبار. الأوامر:');
    for (const line of lines.slice(1)) expect(line.startsWith('\u200f/')).toBe(true);
    expect(help).toContain('(للمشرفين)');
  });

  it('lists only the commands this surface can run (a console without delivery has no /status)', async () => {
    const help = await helpOn('console', 'en', true);
    expect(help).not.toContain('/status');
    expect(help).not.toContain('/subscribe');
    expect(help).toContain('/delete <id>');
  });
});
