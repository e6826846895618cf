import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type Repository } from 'typeorm';
import { ApiException } from '../../common/errors/api.exception.js';
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
