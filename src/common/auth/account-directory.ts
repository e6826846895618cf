import type { AuthenticatedStudent } from './authenticated-student.js';

/**
 * What the auth guard asks on each request: does the token's account still exist, and what is its
 * role now. The module that owns the accounts (Core) provides it; common imports no module.
 */
export interface AccountDirectory {
  roleOf(studentId: string): Promise<AuthenticatedStudent['role'] | null>;
}

export const ACCOUNT_DIRECTORY = Symbol('ACCOUNT_DIRECTORY');
