import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedStudent } from '../auth/authenticated-student.js';
import { ApiException } from '../errors/api.exception.js';

export const IP_THROTTLER = 'ip';
export const USER_THROTTLER = 'user';

type Stage = typeof IP_THROTTLER | typeof USER_THROTTLER;

/** The throttler with only one of the named limits, answering in the API.md envelope. */
abstract class StageThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly stage: Stage;

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((t) => t.name === this.stage);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new ApiException('TOO_MANY_REQUESTS', 'Too many requests; try again after the time given in Retry-After', {
      retry_after_seconds: detail.timeToBlockExpire,
    });
  }
}

/** Runs before authentication, so floods of bad tokens are limited too. */
@Injectable()
export class IpThrottlerGuard extends StageThrottlerGuard {
  protected readonly stage = IP_THROTTLER;
}

/** Runs after authentication: the limit follows the student across addresses. */
@Injectable()
export class UserThrottlerGuard extends StageThrottlerGuard {
  protected readonly stage = USER_THROTTLER;
}

export function studentOf(request: FastifyRequest): string | undefined {
  return (request as FastifyRequest & { user?: AuthenticatedStudent }).user?.studentId;
}
