import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedStudent } from '../../common/auth/index.js';
import { ApiException } from '../../common/errors/index.js';
import type { PremiumFeature } from '../../common/features/index.js';
import { configSlice, type ConfigOf } from '../../config/index.js';
import { StudentsService } from '../../core/index.js';
import type { FlagDecision } from '../../flags/index.js';
import { FeatureFlagsService } from '../../flags/index.js';
import { PREMIUM_FEATURE } from './premium-feature.decorator.js';

export type PremiumRequest = { user: AuthenticatedStudent; flag?: FlagDecision };

export const premiumGateConfig = configSlice('premium-gate', ['UPGRADE_URL']);

/**
 * Premium routes: the subscription is read from the database on every call (a token issued
 * before a downgrade or expiry grants nothing), then the route's feature flag for this student.
 */
@Injectable()
export class PremiumGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly students: StudentsService,
    private readonly flags: FeatureFlagsService,
    @Inject(premiumGateConfig.KEY) private readonly config: ConfigOf<typeof premiumGateConfig>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PremiumRequest>();
    const feature = this.reflector.get<PremiumFeature | undefined>(PREMIUM_FEATURE, context.getHandler());
    const decision = await this.admit(request.user.studentId, feature);
    if (decision) request.flag = decision;
    return true;
  }

  /**
   * The check itself, for callers other than a route (the MCP tools): throws PREMIUM_REQUIRED or
   * FEATURE_DISABLED, else returns the feature's flag decision (none when no feature is named).
   */
  async admit(studentId: string, feature?: PremiumFeature): Promise<FlagDecision | undefined> {
    const student = await this.students.subscriptionOf(studentId);
    if (!student) throw ApiException.unauthorized('The account for this token no longer exists');
    const active =
      student.subscriptionTier === 'premium' &&
      (student.subscriptionExpiresAt === null || student.subscriptionExpiresAt.getTime() > Date.now());
    if (!active) {
      throw new ApiException(
        'PREMIUM_REQUIRED',
        student.subscriptionTier === 'premium' ? 'Your premium subscription has expired' : 'This feature is part of the premium plan',
        { upgrade_url: this.config.UPGRADE_URL },
      );
    }
    if (!feature) return undefined;
    const decision = await this.flags.decide(feature, studentId);
    if (!decision.enabled) throw new ApiException('FEATURE_DISABLED', 'This feature is not available for your account yet', { feature });
    return decision;
  }
}
