import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { ROLES, type DeskUser } from '@desk/domain';
import { DuplicateEmailError, SessionsRepository, UsersRepository, audit } from '@desk/persistence';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException, notFound } from '../http/api-error.js';
import { parse } from '../http/parse.js';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import { CurrentUser } from '../auth/current-user.js';
import { ADMIN, Roles, WORKERS } from '../auth/roles.js';

const password = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const initials = z.string().trim().toUpperCase().regex(/^[A-Z]{1,4}$/, '1 to 4 letters');
// Empty means "no team".
const team = z.string().trim().max(60).transform((value) => value || null);
const NewUserBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(120),
  initials,
  role: z.enum(ROLES),
  password,
  team: team.optional(),
});
const ChangeBody = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  initials: initials.optional(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
  password: password.optional(),
  team: team.nullable().optional(),
});

@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Everyone who can be assigned work sees the team list (for the assign menu). */
  @Get()
  @Roles(...WORKERS)
  list(): Promise<DeskUser[]> {
    return this.users.list();
  }

  @Post()
  @Roles(...ADMIN)
  async create(@Body() body: unknown, @CurrentUser() admin: DeskUser): Promise<DeskUser> {
    const input = parse(NewUserBody, body);
    try {
      const user = await this.users.create({ ...input, passwordHash: await hashPassword(input.password) });
      await audit(this.db, admin.id, 'user.created', 'user', user.id, { email: user.email, role: user.role });
      return user;
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new ApiException('conflict', error.message);
      throw error;
    }
  }

  @Patch(':id')
  @Roles(...ADMIN)
  async change(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() admin: DeskUser): Promise<DeskUser> {
    const input = parse(ChangeBody, body);
    if (id === admin.id && (input.active === false || (input.role && input.role !== 'admin'))) {
      throw new ApiException('invalid', "You can't deactivate yourself or remove your own admin role.");
    }
    const user = await this.users.update(id, {
      name: input.name,
      initials: input.initials,
      role: input.role,
      active: input.active,
      team: input.team,
      passwordHash: input.password ? await hashPassword(input.password) : undefined,
    });
    if (!user) throw notFound('user');
    // A deactivated user, a new password or a new role ends the sessions that had the old standing.
    if (input.active === false || input.password || input.role) await this.sessions.deleteForUser(id);
    const { password: _secret, ...changed } = input;
    await audit(this.db, admin.id, 'user.changed', 'user', id, { ...changed, passwordChanged: Boolean(input.password) });
    return user;
  }
}
