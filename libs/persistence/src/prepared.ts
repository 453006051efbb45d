import type { ClientBase } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** A statement Postgres parses and plans once per connection, then only binds and runs. */
export interface Prepared {
  /** Unique per statement text: a connection keeps the first text it saw under a name. */
  name: string;
  text: string;
}

/**
 * Runs a hot statement as a named prepared statement, on the driver's own connection (the ORM
 * sends every statement unnamed, so Postgres parses and plans it on each call: for the long
 * statements of the store, the claim and the send record that was up to a millisecond of server
 * CPU per call, more than running them). In a transaction, it runs on the transaction's
 * connection. A failure is the caller's to report: the ORM would log it with every parameter.
 */
export async function runPrepared<T>(db: DataSource | EntityManager, statement: Prepared, values: unknown[]): Promise<T[]> {
  if ('queryRunner' in db && db.queryRunner) return runOn<T>(db.queryRunner, statement, values);
  if (!('createQueryRunner' in db)) throw new Error(`${statement.name}: an EntityManager outside a transaction`);
  const runner = db.createQueryRunner();
  try {
    return await runOn<T>(runner, statement, values);
  } finally {
    await runner.release();
  }
}

async function runOn<T>(runner: QueryRunner, statement: Prepared, values: unknown[]): Promise<T[]> {
  const client = (await runner.connect()) as ClientBase;
  const result = await client.query({ name: statement.name, text: statement.text, values });
  return result.rows as T[];
}
