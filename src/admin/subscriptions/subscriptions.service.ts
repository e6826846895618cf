import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/index.js';
import type { MeResponseDto } from '../../core/index.js';
import { toMe } from '../../core/index.js';
import { Student } from '../../core/index.js';
import type { UpdateSubscriptionDto } from './subscription.dto.js';

type SubscriptionState = { subscription_tier: Student['subscriptionTier']; subscription_expires_at: string | null };

/** Sets a student's subscription; the change and who made it go to subscription_audit in the same transaction. */
@Injectable()
export class SubscriptionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async update(studentId: string, change: UpdateSubscriptionDto, adminId: string): Promise<MeResponseDto> {
    const expiresAt = checkedExpiry(change);
    return this.db.transaction(async (tx) => {
      const students = tx.getRepository(Student);
      const student = await students.findOne({ where: { studentId }, lock: { mode: 'pessimistic_write' } });
      if (!student) throw ApiException.notFound('The student');
      const before = stateOf(student);
      student.subscriptionTier = change.subscription_tier;
      student.subscriptionExpiresAt = expiresAt;
      await students.update({ studentId }, { subscriptionTier: student.subscriptionTier, subscriptionExpiresAt: expiresAt });
      await tx.query(`INSERT INTO subscription_audit (student_id, before, after, changed_by) VALUES ($1, $2, $3, $4)`, [
        studentId,
        JSON.stringify(before),
        JSON.stringify(stateOf(student)),
        adminId,
      ]);
      return toMe(student);
    });
  }
}

function stateOf(student: Student): SubscriptionState {
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
