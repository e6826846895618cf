import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A subscription as the audit log records it. */
export type SubscriptionState = { subscription_tier: 'free' | 'premium'; subscription_expires_at: string | null };

/** The subscription_audit table: every change of a subscription, who made it, before and after. */
@Injectable()
export class SubscriptionAuditRepository {
  /** Inside the transaction that makes the change, so the two commit together. */
  async record(tx: EntityManager, entry: { studentId: string; before: SubscriptionState; after: SubscriptionState; changedBy: string }): Promise<void> {
    await tx.query(`INSERT INTO subscription_audit (student_id, before, after, changed_by) VALUES ($1, $2, $3, $4)`, [
      entry.studentId,
      JSON.stringify(entry.before),
      JSON.stringify(entry.after),
      entry.changedBy,
    ]);
  }
}
