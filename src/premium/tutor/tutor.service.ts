import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { FEATURES } from '../../common/features/index.js';
import { ChaptersService, CourseSearchService, type SectionHit } from '../../core/index.js';
import { LLM_CLIENT, LlmError, redactPii, type LlmClient } from '../../llm/index.js';
import { PremiumRequestsService, QuotaService, type PremiumRequestRecord } from '../../usage/index.js';
import { clientGone } from '../client-gone.js';
import { quotaExceeded, serviceBusy } from '../premium-errors.js';
import { TutorAnswerCache } from './tutor-answer-cache.js';
import { citationOf, passageId, type AnswerSink, type Passage, type TutorAnswer, type Turn } from './tutor-answer.js';
import { TutorConversationsRepository } from './tutor-conversations.repository.js';
import { TUTOR_SYSTEM_PROMPT, tutorInput, tutorSchema, type TutorReply } from './tutor.prompt.js';
import { offCourseAnswer, rulesReply } from './tutor-rules.js';

export type TutorQuestion = {
  studentId: string;
  question: string;
  chapterId?: string;
  conversationId?: string;
  variant: string;
  requestId: string;
  /** Aborts when the client has gone: the unit goes back and a model call for it is cut off. */
  signal?: AbortSignal;
};

/** Passages retrieved per question, and turns of a conversation sent back as context. */
const PASSAGES = 4;
const CONTEXT_TURNS = 3;
/** The model gets this long, retries included; then the rules answer is served. */
export const TUTOR_LLM_DEADLINE_MS = 20_000;

/**
 * The course tutor: retrieval decides whether the course covers the question (if not: no model,
 * no unit); then the shared cache, then a quota unit and the model, which answers from the
 * retrieved passages only and may cite nothing else. The rules quote the passages when there is
 * no model, for the `rules` variant, and when the model fails (the unit then goes back).
 */
@Injectable()
export class TutorService {
  constructor(
    private readonly search: CourseSearchService,
    private readonly chapters: ChaptersService,
    private readonly conversations: TutorConversationsRepository,
    private readonly cache: TutorAnswerCache,
    private readonly quota: QuotaService,
    private readonly requests: PremiumRequestsService,
    @Inject(LLM_CLIENT) private readonly llm: LlmClient,
  ) {}

  async ask(q: TutorQuestion, sink?: AnswerSink): Promise<TutorAnswer> {
    const started = performance.now();
    // A request naming a chapter or conversation that is not there (or not the student's) is a
    // client error, answered before it counts as a tutor request.
    if (q.chapterId) await this.chapters.get(q.chapterId);
    const earlier = q.conversationId ? await this.earlierTurns(q.conversationId, q.studentId) : [];
    let source: PremiumRequestRecord['source'] = 'rejected';
    try {
      const { answer, served } = await this.answer(q, earlier, sink);
      source = served;
      return answer;
    } finally {
      this.requests.record({ feature: FEATURES.tutor_questions.name, variant: q.variant, studentId: q.studentId, source, latencyMs: performance.now() - started });
    }
  }

  private async answer(q: TutorQuestion, earlier: Turn[], sink?: AnswerSink): Promise<{ answer: TutorAnswer; served: PremiumRequestRecord['source'] }> {
    // Stored and sent to the model without contact details; a question that had some is never shared.
    const question = redactPii(q.question);
    const personal = question !== q.question;
    // A follow-up ("and what does it cost?") is searched with the question before it.
    const query = [earlier.at(-1)?.question, question].filter(Boolean).join('\n');
    const relevant = (await this.search.search(query, { chapterId: q.chapterId, limit: PASSAGES })).filter((h) => h.relevant);
    const header = { answer_id: randomUUID(), conversation_id: q.conversationId ?? randomUUID(), generated_at: new Date().toISOString() };

    if (relevant.length === 0) {
      const answer: TutorAnswer = { ...header, answer_markdown: offCourseAnswer(await this.chapters.list()), citations: [], off_course: true, decision_source: 'rules' };
      await this.conversations.saveTurn(q.studentId, question, answer, () => Promise.resolve());
      emitWhole(answer, sink);
      return { answer, served: 'rules' };
    }

    const shareable = !q.conversationId && !personal;
    const shared = shareable ? await this.cache.get(question, q.chapterId) : undefined;
    if (shared) {
      const answer: TutorAnswer = { ...header, ...shared, off_course: false, decision_source: 'cache' };
      await this.conversations.saveTurn(q.studentId, question, answer, () => Promise.resolve());
      emitWhole(answer, sink);
      return { answer, served: 'cache' };
    }

    if (q.signal?.aborted) throw clientGone();
    const unit = await this.quota.take(q.studentId, FEATURES.tutor_questions.name);
    if (!unit.granted) throw quotaExceeded(unit.status);
    const stream = new DeltaStream(sink);
    try {
      const titles = new Map((await this.chapters.list()).map((c) => [c.chapter_id, c.title]));
      const rules = () => rulesReply(relevant, titles);
      const generated = await this.generate(q, question, relevant, earlier, rules, header.answer_id, stream);
      if (q.signal?.aborted) throw clientGone();
      // The model failed after part of its answer was streamed: those words cannot be taken back.
      if (generated.fellBack && stream.sent > 0) throw new ApiException('LLM_UNAVAILABLE', 'The tutor stopped part way through its answer; nothing was charged, ask again');
      const answer: TutorAnswer = { ...header, answer_markdown: generated.reply.answer_markdown, citations: citationsFor(generated.reply, relevant), off_course: false, decision_source: generated.source };
      const used = await this.conversations.saveTurn(q.studentId, question, answer, async (tx) => {
        if (generated.fellBack) return unit.refund(tx);
        await unit.charge(tx);
        return undefined;
      });
      if (used !== undefined) await this.quota.mirrorUsed(q.studentId, FEATURES.tutor_questions.name, used);
      if (generated.source === 'llm' && shareable) await this.cache.put(question, q.chapterId, { answer_markdown: answer.answer_markdown, citations: answer.citations });
      stream.finish(answer);
      return { answer, served: generated.fellBack ? 'fallback' : generated.source };
    } catch (error) {
      // Never throws: with the database away, the unit's hold gives it back when it expires.
      await unit.giveBack();
      if (error instanceof LlmError && error.kind === 'busy') throw serviceBusy(error);
      throw error;
    }
  }

  private async earlierTurns(conversationId: string, studentId: string): Promise<Turn[]> {
    const turns = await this.conversations.lastTurns(conversationId, studentId, CONTEXT_TURNS);
    // Someone else's conversation is answered as one that does not exist.
    if (!turns) throw ApiException.notFound(`Conversation ${conversationId}`);
    return turns;
  }

  private async generate(
    q: TutorQuestion,
    question: string,
    relevant: SectionHit[],
    earlier: Turn[],
    rules: () => TutorReply,
    answerId: string,
    stream: DeltaStream,
  ): Promise<{ reply: TutorReply; source: 'llm' | 'rules'; fellBack: boolean }> {
    if (q.variant === 'rules') return { reply: rules(), source: 'rules', fellBack: false };
    const passages: Passage[] = relevant.map((hit) => ({ id: passageId(hit), hit }));
    const ids = passages.map((p) => p.id) as [string, ...string[]];
    const result = await this.llm.complete(
      {
        feature: FEATURES.tutor_questions.name,
        system: [TUTOR_SYSTEM_PROMPT],
        input: tutorInput(question, passages, earlier),
        schema: tutorSchema(ids),
        maxTokens: 700,
        fallback: rules,
        deadlineMs: TUTOR_LLM_DEADLINE_MS,
        signal: q.signal,
        ...(stream.live && { onPartial: (partial: unknown) => stream.partial(partial) }),
      },
      { studentId: q.studentId, referenceId: answerId, requestId: q.requestId, variant: q.variant },
    );
    return { reply: result.value, source: result.source === 'llm' ? 'llm' : 'rules', fellBack: result.source === 'fallback' };
  }
}

/** Each cited passage once, in the order cited, with the excerpt retrieval found. */
function citationsFor(reply: TutorReply, relevant: readonly SectionHit[]) {
  const byId = new Map(relevant.map((h) => [passageId(h), h]));
  return [...new Set(reply.citations)].flatMap((id) => {
    const hit = byId.get(id);
    return hit ? [citationOf(hit)] : [];
  });
}

function emitWhole(answer: TutorAnswer, sink: AnswerSink | undefined): void {
  if (!sink) return;
  sink.delta(answer.answer_markdown);
  for (const c of answer.citations) sink.citation(c);
}

/**
 * Turns the growing structured output into text deltas: the answer field as parsed so far, less
 * what was already sent. Citations are sent once the answer is whole and validated.
 */
class DeltaStream {
  private text = '';

  constructor(private readonly sink: AnswerSink | undefined) {}

  /** Characters of the answer already sent. */
  get sent(): number {
    return this.text.length;
  }

  get live(): boolean {
    return this.sink !== undefined;
  }

  partial(value: unknown): void {
    const answer = (value as { answer_markdown?: unknown } | null)?.answer_markdown;
    if (typeof answer !== 'string') return;
    this.push(answer);
  }

  finish(answer: TutorAnswer): void {
    if (!this.sink) return;
    this.push(answer.answer_markdown);
    for (const c of answer.citations) this.sink.citation(c);
  }

  private push(answer: string): void {
    // A partial parse may end inside an escape sequence: only an extension of what was sent is sent.
    if (answer.length <= this.text.length || !answer.startsWith(this.text)) return;
    this.sink!.delta(answer.slice(this.text.length));
    this.text = answer;
  }
}
