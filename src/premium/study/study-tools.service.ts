import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiException } from '../../common/errors/index.js';
import { FEATURES } from '../../common/features/index.js';
import { LlmError } from '../../llm/index.js';
import { PremiumRequestsService, QuotaService } from '../../usage/index.js';
import { clientGone } from '../client-gone.js';
import { quotaExceeded, serviceBusy } from '../premium-errors.js';
import { PracticeAttemptsRepository } from './practice-attempts.repository.js';
import { answerShapeIssues, gradePractice, practiceAnswerIssues, type PracticeGrade } from './practice-grading.js';
import { PracticeSessionsRepository } from './practice-sessions.repository.js';
import { StudyChapterReader, type StudyChapter } from './study-chapter.js';
import { StudyGenerator } from './study-generator.js';
import { StudyMaterialsRepository } from './study-materials.repository.js';
import { StudySingleFlight } from './study-single-flight.js';
import { materialKeyString, type MaterialKey, type ServedMaterial, type StudyMaterial, type StudyTool } from './study.js';

export type StudyRequest = {
  studentId: string;
  chapterId: string;
  /** Items asked for (0 for a summary). */
  count: number;
  variant: string;
  requestId: string;
  /** Aborts when the client has gone: no unit is taken for it, and a model call for it is cut off. */
  signal?: AbortSignal;
};

/**
 * Study material: served from the shared store when any student already had it generated (no
 * unit, no call), else generated once for everyone, the triggering student paying one unit, kept
 * when served and given back when the model failed and the rules answered (that fallback is not
 * shared, so the next request asks the model again).
 */
@Injectable()
export class StudyToolsService {
  constructor(
    private readonly quota: QuotaService,
    private readonly chapters: StudyChapterReader,
    private readonly generator: StudyGenerator,
    private readonly materials: StudyMaterialsRepository,
    private readonly sessions: PracticeSessionsRepository,
    private readonly attempts: PracticeAttemptsRepository,
    private readonly singleFlight: StudySingleFlight,
    private readonly requests: PremiumRequestsService,
  ) {}

  flashcards(request: StudyRequest): Promise<ServedMaterial<'flashcards'>> {
    return this.measured(request, () => this.serve(request, 'flashcards'));
  }

  summary(request: StudyRequest): Promise<ServedMaterial<'summary'>> {
    return this.measured(request, () => this.serve({ ...request, count: 0 }, 'summary'));
  }

  /** A practice quiz: the shared questions, in a session of the student's own (its practice_id). */
  practiceQuiz(request: StudyRequest): Promise<ServedMaterial<'practice_quiz'>> {
    return this.measured(request, async () => {
      const served = await this.serve(request, 'practice_quiz');
      // A generated quiz got its session in the transaction that stored it.
      if (served.practiceId) return served;
      return { ...served, practiceId: await this.sessions.create(request.studentId, served.material.material_id) };
    });
  }

  /** Grades answers to one of the student's practice quizzes (another's is NOT_FOUND); every submission is graded and kept. */
  async submitPractice(studentId: string, practiceId: string, answers: Record<string, unknown>): Promise<PracticeGrade> {
    const shape = answerShapeIssues(answers);
    if (shape.length > 0) throw ApiException.validation(shape, 'The answers are not option keys');
    const owned = await this.sessions.findOwned(practiceId, studentId);
    if (!owned) throw ApiException.notFound(`Practice quiz ${practiceId}`);
    const issues = practiceAnswerIssues(owned.practice.questions, answers);
    if (issues.length > 0) throw ApiException.validation(issues, 'The answers do not fit this practice quiz');
    const grade = gradePractice(owned.practice.questions, answers);
    await this.attempts.record({ practiceId, studentId, answers: grade.answers, score: grade.score, maxScore: grade.maxScore });
    return grade;
  }

  private async serve<K extends StudyTool>(request: StudyRequest, tool: K): Promise<ServedMaterial<K>> {
    const chapter = await this.chapters.read(request.chapterId);
    const key = { chapterId: chapter.chapter_id, contentVersion: chapter.content_version, tool, count: request.count, lane: this.generator.laneFor(request.variant) };
    const stored = await this.materials.findShared(key);
    if (stored) return fromStore(stored);
    // Nothing stored for this key: one request generates it, concurrent ones are served its material for no unit.
    return this.singleFlight.run(materialKeyString(key), request.signal, {
      ready: async () => {
        const material = await this.materials.findShared(key);
        return material && fromStore(material);
      },
      build: () => this.generateAndStore(request, chapter, key),
    });
  }

  /** Takes a unit, generates, and stores the material with the unit settled in the same transaction. */
  private async generateAndStore<K extends StudyTool>(request: StudyRequest, chapter: StudyChapter, key: MaterialKey & { tool: K }): Promise<ServedMaterial<K>> {
    if (request.signal?.aborted) throw clientGone();
    const unit = await this.quota.take(request.studentId, FEATURES.study_tools.name);
    if (!unit.granted) throw quotaExceeded(unit.status);
    try {
      const materialId = randomUUID();
      const built = await this.generator.generate(chapter, key, { ...request, referenceId: materialId });
      if (request.signal?.aborted) throw clientGone();
      const practiceFor = key.tool === 'practice_quiz' ? request.studentId : undefined;
      const { served, used } = await this.materials.save(
        { materialId, key, source: built.source, content: built.content, shared: !built.fellBack, model: built.model, generatedBy: request.studentId },
        async (tx, material, inserted) => {
          const practiceId = practiceFor && (await this.sessions.create(practiceFor, material.material_id, tx));
          // Another instance stored this key first (its claim had expired): its material is served, this unit goes back.
          if (!inserted) return { served: { ...fromStore(material as StudyMaterial<K>), practiceId }, used: await unit.refund(tx) };
          const result: ServedMaterial<K> = { material: material as StudyMaterial<K>, source: built.source, fellBack: built.fellBack, practiceId };
          if (built.fellBack) return { served: result, used: await unit.refund(tx) };
          await unit.charge(tx);
          return { served: result, used: undefined };
        },
      );
      if (used !== undefined) await this.quota.mirrorUsed(request.studentId, FEATURES.study_tools.name, used);
      return served;
    } catch (error) {
      // Never throws: with the database away, the unit's hold gives it back when it expires.
      await unit.giveBack();
      if (error instanceof LlmError && error.kind === 'busy') throw serviceBusy(error);
      throw error;
    }
  }

  /** One record per request for the operators' metrics, however it was served or refused. */
  private async measured<T extends ServedMaterial>(request: StudyRequest, serve: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let served: T | undefined;
    try {
      served = await serve();
      return served;
    } finally {
      const source = !served ? 'rejected' : served.fellBack ? 'fallback' : served.source;
      this.requests.record({ feature: FEATURES.study_tools.name, variant: request.variant, studentId: request.studentId, source, latencyMs: performance.now() - started });
    }
  }
}

function fromStore<K extends StudyTool>(material: StudyMaterial<K>): ServedMaterial<K> {
  return { material, source: 'cache', fellBack: false };
}
