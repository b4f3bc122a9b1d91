/**
 * A child of the scale benchmark: opens the bot's services (store, news desk, delivery) over an
 * existing store (SQLite or PostgreSQL), as `npm start` does, and reports how long that took and the memory it holds.
 * Run as a separate process so neither the parent's heap nor its warm caches count.
 */
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/core/logger.js';
import { openServices } from '../src/main.js';

const storeUrl = process.argv[2];
if (!storeUrl) throw new Error('usage: startupChild <store url>');
const started = performance.now();
const services = await openServices(loadConfig({ STORE_URL: storeUrl }), silentLogger);
const ms = performance.now() - started;
const answer = await services.desk.ask('ما هي آخر الأخبار عن الاقتصاد؟');
const { rss, heapUsed } = process.memoryUsage();
await services.close();
process.stdout.write(`${JSON.stringify({ ms, rss, heapUsed, articles: services.desk.articleCount, answered: answer.found })}\n`);
