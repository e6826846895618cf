import { Body, Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FEATURES } from '../../common/features/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { clientSignal } from '../client-gone.js';
import { ForFeature } from '../gating/premium-feature.decorator.js';
import { PremiumGuard, type PremiumRequest } from '../gating/premium.guard.js';
import {
  StudySummaryDto,
  FlashcardSetDto,
  FlashcardsRequestDto,
  PracticeGradeDto,
  PracticeParamsDto,
  PracticeQuizDto,
  PracticeQuizRequestDto,
  SubmitPracticeDto,
  SummaryRequestDto,
  toStudySummaryDto,
  toFlashcardSetDto,
  toPracticeGradeDto,
  toPracticeQuizDto,
} from './study.dto.js';
import { FLASHCARD_COUNT, PRACTICE_COUNT } from './study.js';
import { StudyToolsService, type StudyRequest } from './study-tools.service.js';

type Request = FastifyRequest & PremiumRequest;

/** Kept short: GPT Actions reads at most 300 characters of an operation's description. */
const SHARED =
  'Made once per chapter version and shared: the first request spends a unit, later ones get the stored copy ' +
  '(`cache`, no unit); if the LLM fails, rules material and the unit goes back.';
const GENERATING_ERRORS = ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMIT_EXCEEDED', 'SERVICE_BUSY'] as const;

@ApiTags('premium')
@Controller('api/v2/study')
@UseGuards(PremiumGuard)
export class StudyController {
  constructor(private readonly study: StudyToolsService) {}

  @Post('flashcards')
  @HttpCode(200)
  @ForFeature(FEATURES.study_tools.name)
  @ApiRoute({
    operationId: 'createFlashcards',
    summary: 'Flashcards for a chapter, each citing its section (premium; one quota unit unless already generated)',
    description: `${FLASHCARD_COUNT.min} to ${FLASHCARD_COUNT.max} cards (default ${FLASHCARD_COUNT.default}). ${SHARED}`,
    errors: [...GENERATING_ERRORS],
  })
  @ApiOkResponse({ type: FlashcardSetDto, description: 'The flashcards' })
  async flashcards(@Req() request: Request, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: FlashcardsRequestDto): Promise<FlashcardSetDto> {
    return toFlashcardSetDto(await this.study.flashcards(studyRequest(request, reply, body.chapter_id, body.count ?? FLASHCARD_COUNT.default)));
  }

  @Post('practice-quiz')
  @HttpCode(200)
  @ForFeature(FEATURES.study_tools.name)
  @ApiRoute({
    operationId: 'createPracticeQuiz',
    summary: 'A practice quiz on a chapter, never the graded quiz (premium; one quota unit unless already generated)',
    description:
      `${PRACTICE_COUNT.min}-${PRACTICE_COUNT.max} questions (default ${PRACTICE_COUNT.default}), no answers; grade at ` +
      `\`/practice-quiz/{practice_id}/submit\` (not in v1 progress). ${SHARED}`,
    errors: [...GENERATING_ERRORS],
  })
  @ApiOkResponse({ type: PracticeQuizDto, description: 'The questions, without answers' })
  async practiceQuiz(@Req() request: Request, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: PracticeQuizRequestDto): Promise<PracticeQuizDto> {
    return toPracticeQuizDto(await this.study.practiceQuiz(studyRequest(request, reply, body.chapter_id, body.count ?? PRACTICE_COUNT.default)));
  }

  @Post('practice-quiz/:practice_id/submit')
  @HttpCode(200)
  @ForFeature(FEATURES.study_tools.name)
  @ApiRoute({
    operationId: 'submitPracticeQuiz',
    summary: 'Grade your answers to one of your practice quizzes (no quota unit)',
    description:
      'Graded on the server: the score, and for every question the correct answer, an explanation and the section that teaches it. ' +
      'A practice quiz may be submitted again (each submission is graded and kept); another student\'s practice quiz is NOT_FOUND. ' +
      'Not counted in `/api/v1/progress`.',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
  })
  @ApiOkResponse({ type: PracticeGradeDto, description: 'The grade' })
  async submit(@Req() request: Request, @Param() params: PracticeParamsDto, @Body() body: SubmitPracticeDto): Promise<PracticeGradeDto> {
    return toPracticeGradeDto(await this.study.submitPractice(request.user.studentId, params.practice_id, body.answers));
  }

  @Post('summary')
  @HttpCode(200)
  @ForFeature(FEATURES.study_tools.name)
  @ApiRoute({
    operationId: 'createChapterSummary',
    summary: 'A revision summary of a chapter with its key points (premium; one quota unit unless already generated)',
    description: SHARED,
    errors: [...GENERATING_ERRORS],
  })
  @ApiOkResponse({ type: StudySummaryDto, description: 'The summary' })
  async summary(@Req() request: Request, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: SummaryRequestDto): Promise<StudySummaryDto> {
    return toStudySummaryDto(await this.study.summary(studyRequest(request, reply, body.chapter_id, 0)));
  }
}

function studyRequest(request: Request, reply: FastifyReply, chapterId: string, count: number): StudyRequest {
  return { studentId: request.user.studentId, chapterId, count, variant: request.flag!.variant, requestId: request.id, signal: clientSignal(request, reply) };
}
