import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedStudent } from '../../common/auth/authenticated-student.js';
import { CurrentStudent } from '../../common/auth/current-student.decorator.js';
import { ApiRoute } from '../../common/http/api-docs.js';
import { clientSignal } from '../client-gone.js';
import { ForFeature } from '../gating/premium-feature.decorator.js';
import { PremiumGuard, type PremiumRequest } from '../gating/premium.guard.js';
import {
  AssessmentQuestionListDto,
  FeedbackDto,
  SubmissionAcceptedDto,
  SubmissionParamsDto,
  SubmitAssessmentDto,
} from './assessments.dto.js';
import { AssessmentsService } from './assessments.service.js';

@ApiTags('premium')
@Controller('api/v2/assessments')
@UseGuards(PremiumGuard)
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Get('questions')
  @ForFeature('assessments')
  @ApiRoute({ operationId: 'listAssessmentQuestions', summary: 'The open-ended questions graded by rubric', errors: ['PREMIUM_REQUIRED', 'FEATURE_DISABLED'] })
  @ApiOkResponse({ type: AssessmentQuestionListDto })
  async questions(): Promise<AssessmentQuestionListDto> {
    return { questions: await this.assessments.list() };
  }

  @Post('submit')
  @HttpCode(202)
  @ForFeature('assessments')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key return the same submission' })
  @ApiRoute({
    operationId: 'submitAssessment',
    summary: 'Submit an answer for grading (one quota unit); poll the feedback URL',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMIT_EXCEEDED', 'PAYLOAD_TOO_LARGE'],
  })
  @ApiAcceptedResponse({ type: SubmissionAcceptedDto })
  submit(
    @Req() request: FastifyRequest & PremiumRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: SubmitAssessmentDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<SubmissionAcceptedDto> {
    return this.assessments.submit({
      studentId: request.user.studentId,
      questionId: body.question_id,
      answerText: body.answer_text,
      idempotencyKey,
      variant: request.flag!.variant,
      signal: clientSignal(request, reply),
    });
  }

  @Get('feedback/:submission_id')
  @ApiRoute({
    operationId: 'getAssessmentFeedback',
    summary: 'The grade of one of your submissions: pending, graded or failed',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'NOT_FOUND'],
  })
  @ApiOkResponse({ type: FeedbackDto })
  feedback(@CurrentStudent() caller: AuthenticatedStudent, @Param() params: SubmissionParamsDto): Promise<FeedbackDto> {
    return this.assessments.feedback(caller.studentId, params.submission_id);
  }
}
