import { Body, Controller, Logger, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExceptionFilter } from '../../common/errors/index.js';
import { FEATURES } from '../../common/features/index.js';
import { ApiRoute } from '../../common/http/index.js';
import { clientSignal } from '../client-gone.js';
import { ForFeature } from '../gating/premium-feature.decorator.js';
import { PremiumGuard, type PremiumRequest } from '../gating/premium.guard.js';
import { TutorEventStream, wantsEventStream } from './tutor-event-stream.js';
import { AskTutorDto, TutorAnswerDto } from './tutor.dto.js';
import { TutorService } from './tutor.service.js';

const SSE_EXAMPLE =
  'event: delta\ndata: {"text":"Use retrieval when "}\n\n' +
  'event: citation\ndata: {"chapter_id":"04-rag","section":"when-to-use-rag","excerpt":"Retrieval suits knowledge that changes often"}\n\n' +
  'event: done\ndata: {"answer_id":"…","conversation_id":"…","answer_markdown":"Use retrieval when …","citations":[…],"off_course":false,"decision_source":"llm","generated_at":"2026-12-02T10:00:00.000Z"}\n\n';

@ApiTags('premium')
@Controller('api/v2/tutor')
@UseGuards(PremiumGuard)
export class TutorController {
  private readonly logger = new Logger('Tutor');

  constructor(private readonly tutor: TutorService) {}

  @Post('ask')
  @ForFeature(FEATURES.tutor_questions.name)
  @ApiRoute({
    operationId: 'askTutor',
    summary: 'Ask the course tutor; the answer cites the course (premium; one quota unit unless off course or cached)',
    description:
      'Answers from the course sections retrieval finds, citing them. Off-course questions and shared cached answers cost no unit. ' +
      'With `Accept: text/event-stream` the answer streams as `delta`, `citation`, then `done` or `error` events.',
    errors: ['VALIDATION_ERROR', 'PREMIUM_REQUIRED', 'FEATURE_DISABLED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMIT_EXCEEDED', 'SERVICE_BUSY', 'LLM_UNAVAILABLE'],
  })
  @ApiExtraModels(TutorAnswerDto)
  @ApiOkResponse({
    description: 'The answer; with `Accept: text/event-stream`, the same answer streamed as server-sent events',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(TutorAnswerDto) } },
      'text/event-stream': { schema: { type: 'string' }, example: SSE_EXAMPLE },
    },
  })
  async ask(@Req() request: FastifyRequest & PremiumRequest, @Res() reply: FastifyReply, @Body() body: AskTutorDto): Promise<void> {
    const question = {
      studentId: request.user.studentId,
      question: body.question,
      chapterId: body.chapter_id,
      conversationId: body.conversation_id,
      variant: request.flag!.variant,
      requestId: request.id,
      signal: clientSignal(request, reply),
    };
    if (!wantsEventStream(request)) {
      await reply.code(200).send(await this.tutor.ask(question));
      return;
    }
    const stream = new TutorEventStream(request, reply);
    try {
      stream.done(await this.tutor.ask(question, stream));
    } catch (error) {
      // Before the first event the error is an ordinary JSON answer (the filter writes it).
      if (!stream.open) throw error;
      if (ApiExceptionFilter.toApiException(error).code === 'INTERNAL_ERROR') this.logger.error({ err: error, request_id: request.id }, 'Tutor stream failed');
      stream.fail(error);
    }
  }
}
