/**
 * The slash commands as Discord's API takes them, registered by `npm run discord:register` rather
 * than at every start. Discord offers no Arabic locale for command names and descriptions, so
 * they are English; what the bot answers follows the user's locale and the question's language.
 */
import { PermissionFlagsBits, SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** Every command's definition. */
export function slashCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [
    new SlashCommandBuilder()
      .setName('post')
      .setDescription('Post a news article (admins): its text, or a link to fetch. Without either, a form opens.')
      
      .addStringOption((o) => o.setName('text').setDescription('The article text, or a link to the article').setMaxLength(6000))
      .addAttachmentOption((o) => o.setName('file').setDescription('A .txt or .md file'))
      .addStringOption((o) => o.setName('url').setDescription('Where the article comes from')),
    new SlashCommandBuilder()
      .setName('delete')
      .setDescription('Delete an article, its summaries and its pending deliveries (admins)')
      .addStringOption((o) => o.setName('id').setDescription('Article id').setRequired(true).setAutocomplete(true)),
    new SlashCommandBuilder()
      .setName('summary')
      .setDescription('Summary of an article (the latest without an id)')
      
      .addStringOption((o) => o.setName('id').setDescription('Article id').setAutocomplete(true)),
    new SlashCommandBuilder().setName('latest').setDescription('Summary of the newest article'),
    new SlashCommandBuilder()
      .setName('articles')
      .setDescription('The stored articles')
      
      .addIntegerOption((o) => o.setName('page').setDescription('Page').setMinValue(1)),
    new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Ask about the stored articles')
      
      .addStringOption((o) =>
        o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(1000),
      ),
    new SlashCommandBuilder()
      .setName('subscribe')
      .setDescription('Send summaries of new articles to this channel')
      
      .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels)
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('Each article, or a daily digest')
          
          .addChoices({ name: 'each', value: 'each' }, { name: 'digest', value: 'digest' }),
      )
      .addStringOption((o) => o.setName('time').setDescription('Digest time, HH:MM'))
      .addStringOption((o) =>
        o
          .setName('lang')
          .setDescription('Summary language')
          
          .addChoices({ name: 'العربية', value: 'ar' }, { name: 'English', value: 'en' }),
      ),
    new SlashCommandBuilder()
      .setName('unsubscribe')
      .setDescription('Stop summaries in this channel')
      
      .setDefaultMemberPermissions(PermissionFlagsBits.ManageChannels),
    new SlashCommandBuilder().setName('status').setDescription('Delivery figures (admins)'),
    new SlashCommandBuilder()
      .setName('feed')
      .setDescription('Follow RSS/Atom feeds: their new articles are posted (admins)')
      .addSubcommand((s) =>
        s.setName('add').setDescription('Follow a feed').addStringOption((o) => o.setName('url').setDescription('Feed URL').setRequired(true).setMaxLength(2000)),
      )
      .addSubcommand((s) => s.setName('list').setDescription('The followed feeds'))
      .addSubcommand((s) =>
        s.setName('remove').setDescription('Stop following a feed').addStringOption((o) => o.setName('id').setDescription('Feed id or URL').setRequired(true)),
      ),
    new SlashCommandBuilder().setName('help').setDescription('What the bot can do'),
  ].map((builder) => builder.toJSON());
}
