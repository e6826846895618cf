import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { toFieldIssues } from '../../common/http/index.js';
import { RegisterDto, type StudentsRepository } from '../../core/index.js';
import { hashPassword } from '../../core/index.js';

export class AdminInputError extends Error {
  override readonly name = 'AdminInputError';
}

export type CreateAdminResult = { outcome: 'created' | 'promoted' | 'unchanged'; studentId: string; email: string };

/** The account's email, checked and normalised exactly as registration does. */
export async function checkedEmail(email: string): Promise<string> {
  const dto = plainToInstance(RegisterDto, { email, password: 'x'.repeat(8), full_name: 'x' });
  const issues = toFieldIssues(await validate(dto)).filter((i) => i.field === 'email');
  if (issues.length > 0) throw new AdminInputError(`--email ${issues[0]!.issue}`);
  return dto.email;
}

/**
 * Makes `email` an admin: creates the account (password and name checked as registration checks
 * them) or promotes the existing one, whose password and name stay as they are. Running it again
 * changes nothing.
 */
export async function createAdmin(
  students: StudentsRepository,
  input: { email: string; name: string; password: () => Promise<string> },
): Promise<CreateAdminResult> {
  const email = await checkedEmail(input.email);
  const existing = await students.findAccountByEmail(email);
  if (existing) {
    if (existing.role === 'admin') return { outcome: 'unchanged', studentId: existing.studentId, email };
    await students.makeAdmin(existing.studentId);
    return { outcome: 'promoted', studentId: existing.studentId, email };
  }
  const dto = plainToInstance(RegisterDto, { email, password: await input.password(), full_name: input.name });
  const issues = toFieldIssues(await validate(dto));
  if (issues.length > 0) {
    const issue = issues[0]!;
    const what = issue.field === 'full_name' ? '--name' : issue.field === 'password' ? 'the password' : `--${issue.field}`;
    throw new AdminInputError(`${what} ${issue.issue}`);
  }
  // Another run creating the same account at the same moment ends in the same state.
  const row = await students.createOrPromoteAdmin({ email: dto.email, passwordHash: await hashPassword(dto.password), fullName: dto.full_name });
  return { outcome: row.created ? 'created' : 'promoted', studentId: row.studentId, email };
}
