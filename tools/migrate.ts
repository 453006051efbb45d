// npm run migrate [-- --revert]: applies (or reverts the last of) the schema migrations.
import { databaseName, ensureDatabase, revertLastMigration, runMigrations } from '@desk/persistence';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('migrate: DATABASE_URL is missing (Postgres connection URL, e.g. postgres://postgres@127.0.0.1:5432/desk)\n');
  process.exit(78);
}

try {
  if (await ensureDatabase(url)) console.log(`migrate: created database ${databaseName(url)}`);
  if (process.argv.includes('--revert')) {
    const reverted = await revertLastMigration(url);
    console.log(reverted ? 'migrate: reverted the last migration' : 'migrate: nothing to revert');
  } else {
    const applied = await runMigrations(url);
    console.log(applied.length ? `migrate: applied ${applied.join(', ')}` : 'migrate: schema is up to date');
  }
} catch (error) {
  process.stderr.write(`migrate: failed: ${(error as Error).message}\n`);
  process.exit(1);
}
