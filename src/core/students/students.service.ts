import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountDirectory } from '../../common/auth/index.js';
import { ApiException } from '../../common/errors/index.js';
import type { Student, StudentRole, SubscriptionTier } from './student.entity.js';
import { StudentsRepository, type NewStudent } from './students.repository.js';

export type SubscriptionChange = {
  before: Pick<Student, 'subscriptionTier' | 'subscriptionExpiresAt'>;
  after: Student;
};

/** Students as the rest of the app sees them; the auth guard's account directory too. */
@Injectable()
export class StudentsService implements AccountDirectory {
  constructor(private readonly students: StudentsRepository) {}

  findById(studentId: string): Promise<Student | null> {
    return this.students.findById(studentId);
  }

  subscriptionOf(studentId: string): Promise<Pick<Student, 'subscriptionTier' | 'subscriptionExpiresAt'> | null> {
    return this.students.subscriptionOf(studentId);
  }

  roleOf(studentId: string): Promise<StudentRole | null> {
    return this.students.roleOf(studentId);
  }

  /** Full names by student id, for the accounts that still exist. */
  fullNames(studentIds: string[]): Promise<Map<string, string>> {
    return this.students.fullNames(studentIds);
  }

  /** With the password hash, for sign-in only. */
  findCredentialsByEmail(email: string): Promise<Student | null> {
    return this.students.findCredentialsByEmail(email);
  }

  async create(input: NewStudent): Promise<Student> {
    const student = await this.students.create(input);
    if (!student) throw new ApiException('CONFLICT', 'An account with this email already exists');
    return student;
  }

  /**
   * Sets the subscription inside the caller's transaction, the row locked first (so the caller can
   * record the change in the same transaction); null when there is no such account.
   */
  async changeSubscription(tx: EntityManager, studentId: string, tier: SubscriptionTier, expiresAt: Date | null): Promise<SubscriptionChange | null> {
    const student = await this.students.lockForUpdate(tx, studentId);
    if (!student) return null;
    const before = { subscriptionTier: student.subscriptionTier, subscriptionExpiresAt: student.subscriptionExpiresAt };
    await this.students.setSubscription(tx, studentId, tier, expiresAt);
    student.subscriptionTier = tier;
    student.subscriptionExpiresAt = expiresAt;
    return { before, after: student };
  }
}
