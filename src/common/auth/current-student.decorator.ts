import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedStudent } from './authenticated-student.js';

export const CurrentStudent = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedStudent =>
    ctx.switchToHttp().getRequest<{ user: AuthenticatedStudent }>().user,
);
