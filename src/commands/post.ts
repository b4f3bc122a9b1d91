/**
 * /post: an admin stores an article, from the text after the command, a link to fetch, or a text
 * file. Given nothing, a surface that can collect a long text does (the console's paste mode,
 * Discord's form); elsewhere the admin is told the ways to post.
 */
import { AkhbarError } from '../core/errors.js';
import { messages } from '../i18n/messages.js';
import { linkToPost } from '../sources/index.js';
import { postedView, textView } from './views.js';
import type { Command, CommandServices, FileInput } from './types.js';

// A character takes at most four bytes in UTF-8: a file larger than that cannot be a post within the limit.
const MAX_BYTES_PER_CHAR = 4;

/** Whether a file is one an article can be read from (text, by type or by name). */
export function isTextFile(file: Pick<FileInput, 'name' | 'contentType'>): boolean {
  if (/\.(txt|md)$/iu.test(file.name)) return true;
  return file.contentType === undefined || file.contentType.startsWith('text/');
}

/** The text of an article file, refused by its real size before it is read when it cannot fit. */
export async function readArticleFile(file: FileInput, services: Pick<CommandServices, 'maxArticleChars'>): Promise<string> {
  if (!isTextFile(file)) throw new AkhbarError({ code: 'FILE_NOT_TEXT', name: file.name });
  const maxBytes = services.maxArticleChars * MAX_BYTES_PER_CHAR;
  if (file.size !== undefined && file.size > maxBytes) {
    throw new AkhbarError({ code: 'FILE_TOO_LARGE', name: file.name, bytes: file.size, maxChars: services.maxArticleChars });
  }
  return file.read();
}

/** The /post command. */
export const post: Command = {
  name: 'post',
  aliases: { arabic: 'انشر' },
  right: 'admin',
  adminAction: 'post',
  private: true,
  slow: true,
  collects: true,
  options: [
    { name: 'text', type: 'string', describe: (m) => m.options.postText, maxLength: 6000 },
    { name: 'file', type: 'attachment', describe: (m) => m.options.postFile },
    { name: 'url', type: 'string', describe: (m) => m.options.postUrl, named: true },
  ],
  menu: (m) => m.menu.post,
  help: (m, platform) => m.help.post(platform),
  async run(input, ctx, services) {
    const m = messages(ctx.language);
    const text = input.text.trim();
    const url = input.options?.['url']?.trim();
    const link = services.sources ? linkToPost(text) : undefined;
    if (link && services.sources) return postedView(await services.sources.postLink(link, ctx.actor), m);
    const store = async (body: string) => postedView(await services.desk.postArticle({ text: body, ...(url ? { url } : {}) }, ctx.actor), m);
    if (text !== '') return store(text);
    if (input.file) return store(await readArticleFile(input.file, services));
    if (ctx.collects) {
      return { ...textView(m.pasteArticle), collect: { command: 'post', title: m.postFormTitle, label: m.postFormLabel } };
    }
    return textView(m.postHowTo(ctx.platform), 'refused');
  },
};
