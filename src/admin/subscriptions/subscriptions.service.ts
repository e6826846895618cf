import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/index.js';
import type { MeResponseDto, Student } from '../../core/index.js';
import { StudentsService, toMe } from '../../core/index.js';
import { SubscriptionAuditRepository, type SubscriptionState } from './subscription-audit.repository.js';
import type { UpdateSubscriptionDto } from './subscription.dto.js';

/** Sets a student's subscription; the change and who made it go to subscription_audit in the same transaction. */
@Injectable()
export class SubscriptionsService {
  constructor(
    // Only to open the transaction that spans Core's students row and this module's audit log.
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
    private readonly audit: SubscriptionAuditRepository,
  ) {}

  async update(studentId: string, change: UpdateSubscriptionDto, adminId: string): Promise<MeResponseDto> {
    const expiresAt = checkedExpiry(change);
    return this.db.transaction(async (tx) => {
      const changed = await this.students.changeSubscription(tx, studentId, change.subscription_tier, expiresAt);
      if (!changed) throw ApiException.notFound('The student');
      await this.audit.record(tx, { studentId, before: stateOf(changed.before), after: stateOf(changed.after), changedBy: adminId });
      return toMe(changed.after);
    });
  }
}

function stateOf(student: Pick<Student, 'subscriptionTier' | 'subscriptionExpiresAt'>): SubscriptionState {
  return { subscription_tier: student.subscriptionTier, subscription_expires_at: student.subscriptionExpiresAt?.toISOString() ?? null };
}

/** Premium may end in the future or never; free has no end date. */
function checkedExpiry(change: UpdateSubscriptionDto): Date | null {
  const raw = change.subscription_expires_at ?? null;
  if (raw === null) return null;
  const field = 'subscription_expires_at';
  if (change.subscription_tier === 'free') throw ApiException.validation([{ field, issue: 'must be null for the free tier' }]);
  if (!/T\d{2}:\d{2}/.test(raw)) throw ApiException.validation([{ field, issue: 'must be a date-time with a time and offset' }]);
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw ApiException.validation([{ field, issue: 'must be an ISO-8601 date-time' }]);
  if (at.getTime() <= Date.now()) throw ApiException.validation([{ field, issue: 'must be in the future' }]);
  return at;
}
