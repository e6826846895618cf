import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedStudent } from '../common/auth/index.js';
import { ApiException } from '../common/errors/index.js';
import { StudentsService } from '../core/index.js';

/** Admin routes: the role is read from the database, so a demoted admin's old token grants nothing. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly students: StudentsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { user } = context.switchToHttp().getRequest<{ user: AuthenticatedStudent }>();
    const student = await this.students.findById(user.studentId);
    if (!student) throw ApiException.unauthorized('The account for this token no longer exists');
    if (student.role !== 'admin') throw new ApiException('FORBIDDEN', 'This route is for administrators');
    return true;
  }
}
