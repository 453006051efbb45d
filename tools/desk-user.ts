// npm run desk:user -- create --email E --name N --initials AB --role admin
//   The password is read from DESK_USER_PASSWORD, else from standard input (first line), so it
//   never appears in the process list or shell history.
// npm run desk:user -- demo      creates the demo accounts `npm start` prints (fake drivers only), and
//   demo press-office and on-duty addresses where the trust has none.
// npm run desk:user -- list
import { createInterface } from 'node:readline';
import { ROLES, type Role } from '@desk/domain';
import { createDataSource, DuplicateEmailError, UsersRepository } from '@desk/persistence';
import { hashPassword, passwordProblem } from '../apps/desk/src/auth/passwords.js';

const USAGE = `usage:
  desk:user create --email <email> --name <name> --initials <AB> --role <${ROLES.join('|')}>
                   (password from DESK_USER_PASSWORD or the first line of standard input)
  desk:user demo   create the demo officer, manager, press and admin accounts if missing
  desk:user list`;

/** Demo accounts for a first run on fake drivers; their passwords are printed, so never for real use. */
export const DEMO_ACCOUNTS: Array<{ email: string; name: string; initials: string; role: Role; password: string }> = [
  { email: 'officer@demo.desk', name: 'Olivia Officer', initials: 'OO', role: 'officer', password: 'demo-officer-pass' },
  { email: 'manager@demo.desk', name: 'Manoj Manager', initials: 'MM', role: 'manager', password: 'demo-manager-pass' },
  { email: 'press@demo.desk', name: 'Priya Press', initials: 'PP', role: 'press', password: 'demo-press-pass1' },
  { email: 'admin@demo.desk', name: 'Ada Admin', initials: 'AA', role: 'admin', password: 'demo-admin-pass1' },
];

function fail(message: string, code = 2): never {
  process.stderr.write(`desk:user: ${message}\n`);
  process.exit(code);
}

function option(args: string[], name: string): string {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? args[i + 1] : undefined;
  if (!value || value.startsWith('--')) fail(`--${name} is required\n${USAGE}`);
  return value;
}

async function readPassword(): Promise<string> {
  if (process.env.DESK_USER_PASSWORD) return process.env.DESK_USER_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

const [command, ...args] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!url) fail('DATABASE_URL is missing (Postgres connection URL)', 78);
if (!command || !['create', 'demo', 'list'].includes(command)) fail(USAGE);

const db = createDataSource({ url, applicationName: 'desk-user' });
await db.initialize();
const users = new UsersRepository(db);
try {
  if (command === 'list') {
    for (const u of await users.list()) console.log(`${u.active ? ' ' : 'x'} ${u.role.padEnd(8)} ${u.initials.padEnd(4)} ${u.email}  ${u.name}`);
  } else if (command === 'create') {
    const role = option(args, 'role');
    if (!(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
    const initials = option(args, 'initials').toUpperCase();
    if (!/^[A-Z]{1,4}$/.test(initials)) fail('--initials must be 1 to 4 letters');
    const password = await readPassword();
    const problem = passwordProblem(password);
    if (problem) fail(`password ${problem}`);
    const user = await users.create({
      email: option(args, 'email'),
      name: option(args, 'name'),
      initials,
      role: role as Role,
      passwordHash: await hashPassword(password),
    });
    console.log(`created ${user.role} ${user.email} (${user.initials})`);
  } else {
    // A forward or an alert with nowhere to go fails; on a demo install they go to the fake mail outbox.
    await db.query(
      `UPDATE setting SET value = value || jsonb_build_object(
         'press_office_email', coalesce(nullif(value->>'press_office_email', ''), 'press-office@demo.desk'),
         'on_duty_email', coalesce(nullif(value->>'on_duty_email', ''), 'on-duty@demo.desk'))
        WHERE key = 'trust'`,
    );
    // Hash only for accounts not yet made: argon2 is deliberately slow, and this runs at every `npm start`.
    const existing = new Set((await users.list()).map((u) => u.email.toLowerCase()));
    for (const account of DEMO_ACCOUNTS) {
      try {
        if (!existing.has(account.email)) await users.create({ ...account, passwordHash: await hashPassword(account.password) });
      } catch (error) {
        if (!(error instanceof DuplicateEmailError)) throw error;
      }
      console.log(`  ${account.role.padEnd(8)} ${account.email.padEnd(20)} password: ${account.password}`);
    }
  }
} catch (error) {
  fail(error instanceof DuplicateEmailError ? error.message : `failed: ${(error as Error).message}`, 1);
} finally {
  await db.destroy();
}
