import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
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

/**
 * The students table: the only code that reads or writes it. Emails are stored lower-cased and
 * matched with lower(), which the unique index on lower(email) serves.
 */
@Injectable()
export class StudentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(studentId: string): Promise<Student | null> {
    return this.db.getRepository(Student).findOneBy({ studentId });
  }

  /** With the password hash, for sign-in only. */
  findCredentialsByEmail(email: string): Promise<Student | null> {
    return this.db
      .getRepository(Student)
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('lower(s.email) = lower(:email)', { email })
      .getOne();
  }

  /** The subscription alone, read on every premium request: one indexed row, no ORM mapping. */
  async subscriptionOf(studentId: string): Promise<Pick<Student, 'subscriptionTier' | 'subscriptionExpiresAt'> | null> {
    const rows: { tier: SubscriptionTier; expires_at: Date | null }[] = await this.db.query(
      'SELECT subscription_tier AS tier, subscription_expires_at AS expires_at FROM students WHERE student_id = $1',
      [studentId],
    );
    const row = rows[0];
    return row ? { subscriptionTier: row.tier, subscriptionExpiresAt: row.expires_at } : null;
  }

  /** The role stored now, or null when the account is gone (the auth guard asks on every request). */
  async roleOf(studentId: string): Promise<StudentRole | null> {
    const rows: { role: StudentRole }[] = await this.db.query('SELECT role FROM students WHERE student_id = $1', [studentId]);
    return rows[0]?.role ?? null;
  }

  /** Full names of the accounts that still exist among `studentIds`. */
  async fullNames(studentIds: string[]): Promise<Map<string, string>> {
    if (studentIds.length === 0) return new Map();
    const rows: { student_id: string; full_name: string }[] = await this.db.query(
      'SELECT student_id::text, full_name FROM students WHERE student_id = ANY($1::uuid[])',
      [studentIds],
    );
    return new Map(rows.map((r) => [r.student_id, r.full_name]));
  }

  async findAccountByEmail(email: string): Promise<{ studentId: string; role: StudentRole } | null> {
    const rows: { student_id: string; role: StudentRole }[] = await this.db.query(
      'SELECT student_id, role FROM students WHERE lower(email) = lower($1)',
      [email],
    );
    return rows[0] ? { studentId: rows[0].student_id, role: rows[0].role } : null;
  }

  /** Of these emails, those an account already has (lower-cased). */
  async existingEmails(emails: string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const rows: { email: string }[] = await this.db.query('SELECT lower(email) AS email FROM students WHERE lower(email) = ANY($1)', [
      emails.map((e) => e.toLowerCase()),
    ]);
    return new Set(rows.map((r) => r.email));
  }

  /** The new account, or null when the email is taken. */
  async create(input: NewStudent): Promise<Student | null> {
    const students = this.db.getRepository(Student);
    try {
      return await students.save(students.create({ ...input, email: input.email.toLowerCase() }));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Inserts the account unless its email is taken (then nothing changes); its id, or null when it was there. */
  async insertUnlessPresent(input: NewStudent, tx: EntityManager = this.db.manager): Promise<string | null> {
    const rows: { student_id: string }[] = await tx.query(
      `INSERT INTO students (email, password_hash, full_name, subscription_tier, subscription_expires_at, role)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING student_id`,
      [input.email.toLowerCase(), input.passwordHash, input.fullName, input.subscriptionTier ?? 'free', input.subscriptionExpiresAt ?? null, input.role ?? 'student'],
    );
    return rows[0]?.student_id ?? null;
  }

  /**
   * An admin account with this email: created, or the existing account made admin (its password
   * and name kept). Two runs at the same moment end in the same state.
   */
  async createOrPromoteAdmin(input: Omit<NewStudent, 'role'>): Promise<{ studentId: string; created: boolean }> {
    const rows: { student_id: string; created: boolean }[] = await this.db.query(
      `INSERT INTO students (email, password_hash, full_name, role) VALUES ($1, $2, $3, 'admin')
       ON CONFLICT ((lower(email))) DO UPDATE SET role = 'admin', updated_at = now()
       RETURNING student_id, (xmax = 0) AS created`,
      [input.email.toLowerCase(), input.passwordHash, input.fullName],
    );
    return { studentId: rows[0]!.student_id, created: rows[0]!.created };
  }

  async makeAdmin(studentId: string): Promise<void> {
    await this.db.query(`UPDATE students SET role = 'admin', updated_at = now() WHERE student_id = $1`, [studentId]);
  }

  /** The account, its row locked until the caller's transaction ends; null when there is none. */
  lockForUpdate(tx: EntityManager, studentId: string): Promise<Student | null> {
    return tx.getRepository(Student).findOne({ where: { studentId }, lock: { mode: 'pessimistic_write' } });
  }

  async setSubscription(tx: EntityManager, studentId: string, tier: SubscriptionTier, expiresAt: Date | null): Promise<void> {
    await tx.getRepository(Student).update({ studentId }, { subscriptionTier: tier, subscriptionExpiresAt: expiresAt });
  }
}
