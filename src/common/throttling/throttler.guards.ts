import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenVerifier } from '../auth/access-tokens.js';
import type { AuthenticatedStudent } from '../auth/authenticated-student.js';
import { PublicRoutes } from '../auth/public.decorator.js';
import { ApiException } from '../errors/api.exception.js';
import { HIT_COUNTER, type HitCounter, type LimitedHit, type WindowCount } from './hit-counter.js';
import { THROTTLE_LIMITS, type ThrottleLimits } from './throttle-limits.js';

export const IP_THROTTLER = 'ip';
export const USER_THROTTLER = 'user';

type Stage = typeof IP_THROTTLER | typeof USER_THROTTLER;

/** The student's count, made by the address guard and answered on by the student guard. */
const USER_COUNT = Symbol('userThrottleCount');
type LimitedRequest = FastifyRequest & { user?: AuthenticatedStudent; [USER_COUNT]?: WindowCount };

/**
 * Runs before authentication, so floods of bad tokens are limited too. It counts the student's
 * hit as well, in the same Redis round trip: the student of a token whose signature and claims
 * check out (the token cache makes that cheap), on a route that is not public; the student
 * guard then answers on that count once authentication has passed. A request over the address
 * limit is not counted against its student.
 */
@Injectable()
export class IpThrottlerGuard implements CanActivate {
  private readonly publicRoutes: PublicRoutes;

  constructor(
    @Inject(THROTTLE_LIMITS) private readonly limits: ThrottleLimits,
    @Inject(HIT_COUNTER) private readonly counter: HitCounter,
    private readonly tokens: AccessTokenVerifier,
    reflector: Reflector,
  ) {
    this.publicRoutes = new PublicRoutes(reflector);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { perIp, perUser, windowMs } = this.limits;
    const http = context.switchToHttp();
    const request = http.getRequest<LimitedRequest>();
    const hits: LimitedHit[] = [];
    if (perIp > 0) hits.push({ key: `${IP_THROTTLER}:${normalizeIp(request.ip)}`, windowMs, limit: perIp });
    if (perUser > 0 && !this.publicRoutes.isPublic(context)) {
      const bearer = this.tokens.bearer(request.headers.authorization);
      if (bearer.ok) hits.push({ key: `${USER_THROTTLER}:${bearer.studentId}`, windowMs, limit: perUser });
    }
    if (hits.length === 0) return true;
    const counts = await this.counter.hitEach(hits);
    if (perIp > 0) answer(http.getResponse<FastifyReply>(), IP_THROTTLER, perIp, counts.shift()!);
    if (counts[0]) request[USER_COUNT] = counts[0];
    return true;
  }
}

/** Runs after authentication: the limit follows the student across addresses. */
@Injectable()
export class UserThrottlerGuard implements CanActivate {
  constructor(@Inject(THROTTLE_LIMITS) private readonly limits: ThrottleLimits) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<LimitedRequest>();
    const counted = request[USER_COUNT];
    if (counted && request.user) answer(http.getResponse<FastifyReply>(), USER_THROTTLER, this.limits.perUser, counted);
    return true;
  }
}

/** The budget headers of one limit, or its refusal in the API.md envelope (the filter adds Retry-After). */
function answer(reply: FastifyReply, stage: Stage, limit: number, { count, ttlMs }: WindowCount): void {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  if (count > limit) {
    void reply.header(`Retry-After-${stage}`, seconds);
    throw new ApiException('TOO_MANY_REQUESTS', 'Too many requests; try again after the time given in Retry-After', {
      retry_after_seconds: seconds,
    });
  }
  void reply.header(`X-RateLimit-Limit-${stage}`, limit);
  void reply.header(`X-RateLimit-Remaining-${stage}`, Math.max(0, limit - count));
  void reply.header(`X-RateLimit-Reset-${stage}`, seconds);
}
