import { Body, Controller, Param, Put, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/index.js';
import { CurrentStudent } from '../../common/auth/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { MeResponseDto } from '../../core/index.js';
import { AdminGuard } from '../admin.guard.js';
import { StudentParamsDto, UpdateSubscriptionDto } from './subscription.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';

@ApiTags('admin')
@Controller('api/v2/admin/students')
@UseGuards(AdminGuard)
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Put(':student_id/subscription')
  @ApiRoute({
    operationId: 'updateStudentSubscription',
    summary: "Set a student's subscription tier and end date (audited: who, when, before and after)",
    description:
      'Makes a student premium until a date, or free. Each change is recorded with the admin who made it, when, and the tier and end date before and after. Answers the student as GET /api/v1/auth/me shows it.',
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
  })
  @ApiOkResponse({ type: MeResponseDto, description: 'The student as GET /api/v1/auth/me shows it' })
  update(
    @CurrentStudent() admin: AuthenticatedStudent,
    @Param() params: StudentParamsDto,
    @Body() body: UpdateSubscriptionDto,
  ): Promise<MeResponseDto> {
    return this.subscriptions.update(params.student_id, body, admin.studentId);
  }
}
