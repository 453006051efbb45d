import type { DeskUser, Role } from '@desk/domain';
import type { DataSource } from 'typeorm';
import { rowsOf } from '../rows.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  initials: string;
  role: Role;
  active: boolean;
  team: string | null;
}

const COLUMNS = `id, email, name, initials, role, active, team`;

function toUser(row: UserRow): DeskUser {
  return { id: row.id, email: row.email, name: row.name, initials: row.initials, role: row.role, active: row.active, team: row.team };
}

export interface NewUser {
  email: string;
  name: string;
  initials: string;
  role: Role;
  passwordHash: string;
  team?: string | null;
}

export interface UserChanges {
  name?: string;
  initials?: string;
  role?: Role;
  active?: boolean;
  passwordHash?: string;
  /** null takes the user out of their team. */
  team?: string | null;
}

/** Thrown when an email is already taken (case-insensitively). */
export class DuplicateEmailError extends Error {}

/** Desk accounts. Password hashes leave this class only through `credentials`. */
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  async create(user: NewUser): Promise<DeskUser> {
    try {
      const [row] = await this.db.query(
        `INSERT INTO "user" (email, name, initials, role, password_hash, team) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [user.email, user.name, user.initials, user.role, user.passwordHash, user.team ?? null],
      );
      return toUser(row);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new DuplicateEmailError(`a user with email ${user.email} already exists`);
      throw error;
    }
  }

  async list(): Promise<DeskUser[]> {
    const rows: UserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM "user" ORDER BY active DESC, name`);
    return rows.map(toUser);
  }

  async find(id: string): Promise<DeskUser | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM "user" WHERE id = $1`, [id]);
    return row ? toUser(row) : undefined;
  }

  /** The stored hash for a login check; undefined when no such active user. */
  async credentials(email: string): Promise<{ user: DeskUser; passwordHash: string } | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS}, password_hash FROM "user" WHERE lower(email) = lower($1) AND active`, [email]);
    return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
  }

  async update(id: string, changes: UserChanges): Promise<DeskUser | undefined> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.initials !== undefined) set('initials', changes.initials);
    if (changes.role !== undefined) set('role', changes.role);
    if (changes.active !== undefined) set('active', changes.active);
    if (changes.passwordHash !== undefined) set('password_hash', changes.passwordHash);
    if (changes.team !== undefined) set('team', changes.team);
    if (sets.length === 0) return this.find(id);
    const [row] = rowsOf<UserRow>(await this.db.query(`UPDATE "user" SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, values));
    return row ? toUser(row) : undefined;
  }

  async recordLogin(id: string): Promise<void> {
    await this.db.query(`UPDATE "user" SET last_login_at = now() WHERE id = $1`, [id]);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM "user"`);
    return row.n;
  }
}
