import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { DeskUser } from '@desk/domain';
import type { AuthedRequest } from './session.guard.js';

/** The logged-in user, set by SessionGuard. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): DeskUser => {
  const user = context.switchToHttp().getRequest<AuthedRequest>().deskUser;
  if (!user) throw new Error('CurrentUser used on a handler the session guard did not check');
  return user;
});
