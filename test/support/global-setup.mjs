// Runs once before the end-to-end suites, outside Jest's module system, so it uses the build.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const dist = join(process.cwd(), process.env.DIST_DIR ?? 'dist');
const { databaseName, ensureDatabase, runMigrations } = await import(pathToFileURL(join(dist, 'libs/persistence/src/index.js')).href);

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_test';

/** A fresh schema for every run: create the test database if missing, empty it, migrate it. */
export default async function globalSetup() {
  const name = databaseName(url);
  // The schema is dropped below, so never touch a database that is not plainly a test one.
  if (!name.includes('test')) {
    throw new Error(`refusing to run the end-to-end suite against "${name}": its name must contain "test"`);
  }
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  } finally {
    await client.end();
  }
  await runMigrations(url);
}
