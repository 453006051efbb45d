import { statementRefused } from './statement-refused.js';

describe('statementRefused', () => {
  it('is true for what Postgres refused in the statement itself', () => {
    for (const code of ['23514', '23505', '22P02', '40P01', '54001']) expect(statementRefused(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  it('is false when Postgres was not there to run it', () => {
    for (const code of ['08006', '08001', '53300', '57P01', '57P03', 'ECONNREFUSED', 'ETIMEDOUT']) {
      expect(statementRefused(Object.assign(new Error('x'), { code }))).toBe(false);
    }
    expect(statementRefused(new Error('timeout exceeded when trying to connect'))).toBe(false);
    expect(statementRefused(undefined)).toBe(false);
  });
});
