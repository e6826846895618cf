import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedStudent } from '../../common/auth/authenticated-student.js';
import { CurrentStudent } from '../../common/auth/current-student.decorator.js';
import { ApiRoute } from '../../common/http/api-docs.js';
import { QuizDto, QuizParamsDto, QuizSubmissionResultDto, SubmitQuizDto } from './quizzes.dto.js';
import { QuizzesService } from './quizzes.service.js';

@ApiTags('quizzes')
@Controller('api/v1/quizzes')
export class QuizzesController {
  constructor(private readonly quizzes: QuizzesService) {}

  @Get(':quiz_id')
  @ApiRoute({
    operationId: 'getQuiz',
    summary: 'A quiz and its questions (the answers are never sent)',
    description: 'The questions and their options; the correct answers only come back with a graded submission.',
    errors: ['VALIDATION_ERROR', 'NOT_FOUND'],
  })
  @ApiOkResponse({ type: QuizDto, description: 'The quiz' })
  get(@Param() params: QuizParamsDto): Promise<QuizDto> {
    return this.quizzes.get(params.quiz_id);
  }

  @Post(':quiz_id/submit')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'submitQuiz',
    summary: 'Submit answers; graded on the server and recorded in the quiz history',
    description: 'Unanswered questions count as wrong. Each result says whether the answer was correct, the correct answer and why.',
    errors: ['VALIDATION_ERROR', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
  })
  @ApiOkResponse({ type: QuizSubmissionResultDto, description: 'The graded attempt' })
  submit(
    @CurrentStudent() caller: AuthenticatedStudent,
    @Param() params: QuizParamsDto,
    @Body() body: SubmitQuizDto,
  ): Promise<QuizSubmissionResultDto> {
    return this.quizzes.submit(caller.studentId, params.quiz_id, body.answers);
  }
}
