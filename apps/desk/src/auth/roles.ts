import { SetMetadata } from '@nestjs/common';
import type { Role } from '@desk/domain';

export const ROLES_KEY = 'desk:roles';
export const PUBLIC_KEY = 'desk:public';

/** Who may call a handler. Every /api handler must say: the guard refuses handlers without it. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No session needed (login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Who works conversations: officers, and managers and admins who step in. */
export const WORKERS: Role[] = ['officer', 'manager', 'admin'];
export const PRESS: Role[] = ['press', 'admin'];
export const ADMIN: Role[] = ['admin'];
