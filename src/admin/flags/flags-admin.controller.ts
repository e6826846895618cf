import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/authenticated-student.js';
import { CurrentStudent } from '../../common/auth/current-student.decorator.js';
import { ApiRoute } from '../../common/http/api-docs.js';
import type { FlagState } from '../../flags/feature-flags.js';
import { AdminGuard } from '../admin.guard.js';
import { FlagsAdminService } from './flags-admin.service.js';
import { FlagDto, FlagListDto, FlagParamsDto, UpdateFlagDto } from './flags.dto.js';

@ApiTags('admin')
@Controller('api/v2/admin/flags')
@UseGuards(AdminGuard)
export class FlagsAdminController {
  constructor(private readonly flags: FlagsAdminService) {}

  @Get()
  @ApiRoute({
    operationId: 'listFlags',
    summary: 'Every premium feature flag as it is in force',
    description: 'Each premium feature: whether it is on, the share of students it is rolled out to, and its variants with their weights.',
    errors: ['FORBIDDEN'],
  })
  @ApiOkResponse({ type: FlagListDto, description: 'Every flag' })
  async list(): Promise<{ flags: FlagState[] }> {
    return { flags: await this.flags.list() };
  }

  @Get(':feature')
  @ApiRoute({
    operationId: 'getFlag',
    summary: 'One feature flag',
    description: 'The flag of one premium feature as it is in force.',
    errors: ['VALIDATION_ERROR', 'FORBIDDEN'],
  })
  @ApiOkResponse({ type: FlagDto, description: 'The flag' })
  async get(@Param() params: FlagParamsDto): Promise<FlagState> {
    return (await this.flags.list()).find((f) => f.feature === params.feature)!;
  }

  @Put(':feature')
  @ApiRoute({
    operationId: 'updateFlag',
    summary: 'Switch a feature, set its rollout percentage and variants (audited; live on every instance within 5 s)',
    description:
      'Changes only the fields sent. Students are bucketed by id, so raising the rollout percentage keeps everyone ' +
      'who had the feature. The change is audited with who made it.',
    errors: ['VALIDATION_ERROR', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE'],
  })
  @ApiOkResponse({ type: FlagDto, description: 'The flag as it is now' })
  update(@CurrentStudent() admin: AuthenticatedStudent, @Param() params: FlagParamsDto, @Body() body: UpdateFlagDto): Promise<FlagState> {
    return this.flags.update(params.feature, body, admin.studentId);
  }
}
