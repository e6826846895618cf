import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { ApiException } from '../../common/errors/index.js';
import { Student, type StudentRole, type SubscriptionTier } from './student.entity.js';

export type NewStudent = {
  email: string;
  passwordHash: string;
  fullName: string;
  subscriptionTier?: SubscriptionTier;
  subscriptionExpiresAt?: Date | null;
  role?: StudentRole;
};

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class StudentsService {
  constructor(@InjectRepository(Student) private readonly students: Repository<Student>) {}

  findById(studentId: string): Promise<Student | null> {
    return this.students.findOneBy({ studentId });
  }

  /** The subscription alone, read on every premium request: one indexed row, no ORM mapping. */
  async subscriptionOf(studentId: string): Promise<Pick<Student, 'subscriptionTier' | 'subscriptionExpiresAt'> | null> {
    const rows: { tier: SubscriptionTier; expires_at: Date | null }[] = await this.students.query(
      'SELECT subscription_tier AS tier, subscription_expires_at AS expires_at FROM students WHERE student_id = $1',
      [studentId],
    );
    const row = rows[0];
    return row ? { subscriptionTier: row.tier, subscriptionExpiresAt: row.expires_at } : null;
  }

  /** With the password hash, for sign-in only. */
  findCredentialsByEmail(email: string): Promise<Student | null> {
    return this.students
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('lower(s.email) = lower(:email)', { email })
      .getOne();
  }

  async create(input: NewStudent): Promise<Student> {
    try {
      return await this.students.save(this.students.create({ ...input, email: input.email.toLowerCase() }));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ApiException('CONFLICT', 'An account with this email already exists');
      }
      throw error;
    }
  }
}
