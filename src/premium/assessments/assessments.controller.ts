import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedStudent } from '../../common/auth/index.js';
import { CurrentStudent } from '../../common/auth/index.js';
import { FEATURES } from '../../common/features/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { clientSignal } from '../client-gone.js';
import { ForFeature } from '../gating/premium-feature.decorator.js';
import { PremiumGuard, type PremiumRequest } from '../gating/premium.guard.js';
import { AnswerLimitPipe } from './answer-limit.pipe.js';
import {
  AssessmentQuestionListDto,
  FeedbackDto,
  SubmissionAcceptedDto,
  SubmissionParamsDto,
  SubmitAssessmentDto,
  toAssessmentQuestionDto,
  toFeedbackDto,
  toSubmissionAcceptedDto,
} from './assessments.dto.js';
import { AssessmentsService } from './assessments.service.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';

@ApiTags('premium')
@Controller('api/v2/assessments')
@UseGuards(PremiumGuard)
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Get('questions')
  @ForFeature(FEATURES.assessments.name)
  @ApiRoute({
    operationId: 'listAssessmentQuestions',
    summary: 'The open-ended questions graded by rubric',
    description: 'Every open-ended question a student can answer, with its maximum score and a summary of its rubric.',
    errors: ['PREMIUM_REQUIRED', 'FEATURE_DISABLED'],
  })
  @ApiOkResponse({ type: AssessmentQuestionListDto, description: 'The questions' })
  async questions(): Promise<AssessmentQuestionListDto> {
    return { questions: (await this.assessments.list()).map(toAssessmentQuestionDto) };
  }

  @Post('submit')
  @HttpCode(202)
  @ForFeature(FEATURES.assessments.name)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key return the same submission' })
  @ApiRoute({
    operationId: 'submitAssessment',
    summary: 'Submit an answer for grading (one quota unit); poll the feedback URL',
    description:
      'Queues the answer for grading and answers at once; poll `poll_url` for the grade. With an `Idempotency-Key`, ' +
      'a retry with the same key and answer returns the same submission without another quota unit; the same key ' +
      'with a different answer is a CONFLICT.',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMIT_EXCEEDED', 'PAYLOAD_TOO_LARGE'],
  })
  @ApiAcceptedResponse({ type: SubmissionAcceptedDto, description: 'Accepted for grading' })
  async submit(
    @Req() request: FastifyRequest & PremiumRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body(AnswerLimitPipe) body: SubmitAssessmentDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<SubmissionAcceptedDto> {
    const accepted = await this.assessments.submit({
      studentId: request.user.studentId,
      questionId: body.question_id,
      answerText: body.answer_text,
      idempotencyKey,
      variant: request.flag!.variant,
      signal: clientSignal(request, reply),
    });
    return toSubmissionAcceptedDto(accepted);
  }

  @Get('feedback/:submission_id')
  @ApiRoute({
    operationId: 'getAssessmentFeedback',
    summary: 'The grade of one of your submissions: pending, graded or failed',
    description: 'The score per rubric criterion, feedback, strengths and improvements once graded; another student\'s submission is NOT_FOUND.',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'NOT_FOUND'],
  })
  @ApiOkResponse({ type: FeedbackDto, description: 'The submission and its grade' })
  async feedback(@CurrentStudent() caller: AuthenticatedStudent, @Param() params: SubmissionParamsDto): Promise<FeedbackDto> {
    return toFeedbackDto(await this.assessments.feedback(caller.studentId, params.submission_id));
  }
}
