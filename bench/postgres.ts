/**
 * A PostgreSQL database of its own for one benchmark run, on the server the tests use, dropped
 * afterwards; a sentence saying why when no server answers, so a benchmark can skip that part.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server benchmarks make their databases on. */
export const POSTGRES_SERVER = process.env.AKHBAR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one run. */
export interface BenchDatabase {
  readonly url: string;
  /** Drops it, even while a killed child's connections are still open (FORCE). */
  drop(): Promise<void>;
}

/** Creates `<prefix>_<random>` on the server; the reason as a string when that cannot be done. */
export async function createBenchDatabase(prefix: string): Promise<BenchDatabase | string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const server = new pg.Client({ connectionString: POSTGRES_SERVER, connectionTimeoutMillis: 3_000 });
  server.on('error', () => undefined);
  try {
    await server.connect();
    await server.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await server.end().catch(() => undefined);
    return `no PostgreSQL server answers at ${POSTGRES_SERVER} (${error instanceof Error ? error.message : String(error)})`;
  }
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await server.end().catch(() => undefined);
    },
  };
}
