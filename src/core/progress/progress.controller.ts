import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/authenticated-student.js';
import { CurrentStudent } from '../../common/auth/current-student.decorator.js';
import { ApiRoute } from '../../common/http/api-docs.js';
import { ProgressDto, QuizHistoryDto, QuizHistoryQueryDto } from './progress.dto.js';
import { ProgressService } from './progress.service.js';

@ApiTags('progress')
@Controller('api/v1/progress')
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @Get()
  @ApiRoute({
    operationId: 'getProgress',
    summary: 'Progress through every chapter, from quiz results',
    description: 'Each chapter is completed once its quiz is passed, in progress after an attempt, else not started.',
  })
  @ApiOkResponse({ type: ProgressDto, description: 'Progress per chapter' })
  get(@CurrentStudent() caller: AuthenticatedStudent): Promise<ProgressDto> {
    return this.progress.progress(caller.studentId);
  }

  @Get('quiz-history')
  @ApiRoute({
    operationId: 'getQuizHistory',
    summary: 'Quiz attempts, newest first, keyset-paginated',
    description: 'Pass `next_cursor` back as `cursor` for the next page; it is null on the last page.',
    errors: ['VALIDATION_ERROR'],
  })
  @ApiOkResponse({ type: QuizHistoryDto, description: 'One page of attempts' })
  history(@CurrentStudent() caller: AuthenticatedStudent, @Query() query: QuizHistoryQueryDto): Promise<QuizHistoryDto> {
    return this.progress.history(caller.studentId, query.limit, query.cursor);
  }
}
