import pg from 'pg';
import { createDataSource } from './data-source.js';

/** The database a URL names, checked to be a plain identifier so it can be quoted safely. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(`database name "${name}" in DATABASE_URL is not a plain identifier`);
  }
  return name;
}

/** Creates the database named in `url` if it is missing; returns whether it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Two processes may race to create it; the loser finds it there, which is what it wanted.
      if ((error as { code?: string }).code !== '42P04') throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Applies every pending migration in one transaction each; returns the names applied. */
export async function runMigrations(url: string): Promise<string[]> {
  const source = createDataSource({ url, applicationName: 'migrate', poolSize: 1 });
  await source.initialize();
  try {
    const applied = await source.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await source.destroy();
  }
}

/** Reverts the most recent migration; returns false when there was none. */
export async function revertLastMigration(url: string): Promise<boolean> {
  const source = createDataSource({ url, applicationName: 'migrate', poolSize: 1 });
  await source.initialize();
  try {
    const before = await source.query(`SELECT count(*)::int AS n FROM schema_migration`);
    await source.undoLastMigration({ transaction: 'each' });
    const after = await source.query(`SELECT count(*)::int AS n FROM schema_migration`);
    return after[0].n < before[0].n;
  } finally {
    await source.destroy();
  }
}
