/**
 * LLM cost per premium student-month. `npm run bench:cost` (no database, no Redis, no network).
 *
 * Simulates a calendar month of premium students (BENCH_STUDENTS, default 1,000), each using every
 * premium feature up to the quota, and runs every premium request through the app's own code: the
 * real AdaptivePathService (rules draft, 24 h response cache invalidated by a finished quiz, quota
 * unit, static/LLM decision) and the real AssessmentGraderService (grader prompt with its cached
 * prefix, one regrade on a bad answer, rules fallback), both over the real LlmGateway and Anthropic
 * adapter (model per feature, effort, cache_control placement, resilience, exact pricing), talking
 * HTTP to the fake Messages API. The fake is given a real tokenizer, the simulated clock, each
 * model's minimum cacheable prefix, thinking tokens per effort and the structured-output schema as
 * input, so the usage it reports is what the real API would bill. Money is integer micro-dollars,
 * priced by the app's price list and cost calculator from that usage.
 *
 * The realistic month of issue 15 adds, per student, 20 tutor questions run through the real
 * TutorService (retrieval, shared answer cache, conversations, quota, the model over the same
 * gateway; tutor-workload.ts, tutor-stand-ins.ts) and 8 study requests run through the real
 * StudyToolsService (the shared study_materials store, one unit per generation, the model's
 * material checked or the rules; study-tools.ts, study-stand-ins.ts, study-texts.ts).
 *
 * Two configurations over the same month: (a) the app's defaults; (b) a naive one: Sonnet for
 * everything, no prompt caching, no response cache (no shared tutor answers, and a study store
 * that keeps nothing), effort high. Prints figures and one JSON line.
 *
 * Beside this file: settings.ts (the month and the documented facts), stand-ins.ts (what stands in
 * for PostgreSQL and Redis, and the accounting), report.ts (the figures and the printed report).
 */
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { Logger } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { progress, type Progress } from '../../src/common/cli/index.js';
import { projectRoot } from '../../src/common/paths/project-root.js';
import { loadConfig, type AppConfig } from '../../src/config/config.loader.js';
import { loadCourse } from '../../src/database/seeding/content.loader.js';
import { LlmGateway } from '../../src/llm/llm-gateway.service.js';
import { createAdapter } from '../../src/llm/llm.module.js';
import { modelFor } from '../../src/llm/models/model-selection.js';
import { LlmPolicies, policyOptions } from '../../src/llm/resilience/llm-policies.js';
import { pathSchema, pathSystemPrompt } from '../../src/premium/adaptive/adaptive-path.prompt.js';
import { AdaptivePathService } from '../../src/premium/adaptive/adaptive-path.service.js';
import { PathAnalytics } from '../../src/premium/adaptive/path-analytics.js';
import { PathEvidenceCollector } from '../../src/premium/adaptive/path-evidence.collector.js';
import { PathGenerator } from '../../src/premium/adaptive/path-generator.js';
import { PathSingleFlight } from '../../src/premium/adaptive/path-single-flight.js';
import { PathStore } from '../../src/premium/adaptive/path-store.js';
import { rulesPath, type ChapterEvidence, type Recommendation } from '../../src/premium/adaptive/path-rules.js';
import { billingOf, type PendingSubmission } from '../../src/premium/assessments/assessment.js';
import { AssessmentGraderService } from '../../src/premium/assessments/assessment-grader.service.js';
import type { AssessmentQuestion } from '../../src/premium/assessments/assessment-questions.repository.js';
import { graderSchema, graderSystem } from '../../src/premium/assessments/grader.prompt.js';
import { ModelGrader } from '../../src/premium/assessments/model-grader.js';
import { TutorAnswerCache } from '../../src/premium/tutor/tutor-answer-cache.js';
import { StudyGenerator } from '../../src/premium/study/study-generator.js';
import { StudySingleFlight } from '../../src/premium/study/study-single-flight.js';
import { StudyToolsService } from '../../src/premium/study/study-tools.service.js';
import { TutorService } from '../../src/premium/tutor/tutor.service.js';
import type { ChapterContent } from '../../src/database/seeding/content.schema.js';
import { FakeAnthropicServer } from '../../test/fakes/anthropic/index.js';
import { logNormal, rngFor } from './random.js';
import { dollars, figures, int, mean, pct, percentile, printScenario, printWhatIfs, scale } from './report.js';
import { noSources, noStudyTally, noTokens, noTutorTally, perFeature, SIMULATED, type Result } from './result.js';
import {
  BUDGET_MICRO,
  CACHE_MINIMUM_SOURCES,
  cacheMinimum,
  DAYS,
  FULL_POPULATION,
  INCONSISTENT_GRADES,
  MONTH_START,
  MONTH_TARGET_MICRO,
  SEED,
  STUDENTS,
  TARGET_MICRO,
  THINKING,
  THINKING_SIGMA,
} from './settings.js';
import * as standIn from './stand-ins.js';
import * as studyStandIn from './study-stand-ins.js';
import { sectionEnum, StudyTexts } from './study-texts.js';
import { serveStudy, studyEvents, STUDY_REQUESTS_PER_STUDENT, type StudyEvent, type StudyTool } from './study-tools.js';
import { TextBank, type StudentAnswer } from './texts.js';
import { countTokens } from './tokens.js';
import * as tutorStandIn from './tutor-stand-ins.js';
import { loadPool, tutorEvents, TUTOR_QUESTIONS_PER_STUDENT, type TutorEvent } from './tutor-workload.js';
import { buildWorkload, DAY, MINUTE, type SimEvent, type Student } from './workload.js';

// --- Simulation state shared with the fake's callbacks (calls run one at a time) ----------------

type CallContext =
  | { feature: 'adaptive_paths'; seed: string; draft: Recommendation[] }
  | { feature: 'assessments'; seed: string; question: AssessmentQuestion; answer: StudentAnswer }
  | { feature: 'tutor_questions'; seed: string }
  | { feature: 'study_tools'; seed: string; tool: StudyTool; chapterId: string; count: number };

/** Every event the month's services are run for: today's (workload.ts), the tutor's and the study tools'. */
type MonthEvent = SimEvent | TutorEvent | StudyEvent;

const clock = { now: MONTH_START };
let context: CallContext | null = null;
let callNo = 0;
let lastThinking = 0;
let lastReasoningTokens = 0;
/** Tokens of the answer text the fake was given for the last call (before any cut at max_tokens). */
let lastAnswerTokens = 0;

function thinkingFor(body: any): number {
  if (!context) return 0;
  const effort = (body?.output_config?.effort ?? 'high') as keyof typeof THINKING;
  const shape = THINKING[effort][context.feature];
  const rng = rngFor(SEED, 'think', context.seed, callNo);
  const tokens = rng() < shape.p ? Math.round(logNormal(rng, shape.median, THINKING_SIGMA)) : 0;
  lastThinking = Math.min(tokens, Number(body?.max_tokens ?? tokens));
  return tokens;
}

/** The passage ids the tutor's schema allows (`citations.items`, an enum inline or under `$defs`). */
function citationEnum(body: any): string[] {
  const schema = body?.output_config?.format?.schema;
  const items = schema?.properties?.citations?.items;
  const ref = typeof items?.$ref === 'string' ? String(items.$ref).replace(/^#\/(\$defs|definitions)\//, '') : undefined;
  const values = ref ? (schema?.$defs?.[ref] ?? schema?.definitions?.[ref])?.enum : items?.enum;
  if (!Array.isArray(values) || values.length === 0) throw new Error(`The tutor's schema has no citation enum: ${JSON.stringify(schema)}`);
  return values as string[];
}

/** The study model's answer for the request's tool, sections from the schema's enum. */
function studyAnswer(texts: StudyTexts, rng: () => number, c: Extract<CallContext, { feature: 'study_tools' }>, body: any): unknown {
  const schema = body?.output_config?.format?.schema;
  if (c.tool === 'summary') return texts.summary(rng, c.chapterId);
  if (c.tool === 'flashcards') return texts.flashcards(rng, c.chapterId, sectionEnum(schema, 'cards'), c.count);
  return texts.practice(rng, c.chapterId, sectionEnum(schema, 'questions'), c.count);
}

function answerFor(bank: TextBank) {
  const study = new StudyTexts(bank);
  return (body: any): unknown => {
    if (!context) return undefined;
    callNo++;
    const rng = rngFor(SEED, 'answer', context.seed, callNo);
    if (context.feature === 'adaptive_paths') {
      const plan = bank.path(rng, context.draft);
      lastReasoningTokens = countTokens(JSON.stringify(plan.reasoning));
      lastAnswerTokens = countTokens(JSON.stringify(plan));
      return plan;
    }
    if (context.feature === 'study_tools') {
      const material = studyAnswer(study, rng, context, body);
      lastReasoningTokens = 0;
      lastAnswerTokens = countTokens(JSON.stringify(material));
      return material;
    }
    if (context.feature === 'tutor_questions') {
      const reply = bank.tutor(rng, citationEnum(body));
      lastReasoningTokens = 0;
      lastAnswerTokens = countTokens(JSON.stringify(reply));
      return reply;
    }
    lastReasoningTokens = 0;
    const grade = bank.grade(rng, context.question, context.answer, rng() >= INCONSISTENT_GRADES);
    lastAnswerTokens = countTokens(JSON.stringify(grade));
    return grade;
  };
}

async function runScenario(
  scenario: { key: string; title: string; env: Record<string, string>; promptCaching: boolean; enforcePathQuota: boolean },
  students: Student[],
  events: MonthEvent[],
  catalog: { chapter_id: string; title: string; order: number; prerequisites: string[] }[],
  course: ChapterContent[],
  bank: TextBank,
): Promise<Result> {
  const started = performance.now();
  const fake = await FakeAnthropicServer.start({
    countTokens,
    now: () => clock.now,
    minCacheableTokens: scenario.promptCaching ? cacheMinimum : () => Infinity,
    thinkingTokens: thinkingFor,
    countOutputFormat: true,
  });
  fake.respondWith(answerFor(bank));
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET_KEY: 'bench-secret-that-is-long-enough-0000000000',
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: fake.url,
    ...scenario.env,
  });
  const models = perFeature((f) => modelFor(f, config));

  const result: Result = {
    key: scenario.key,
    title: scenario.title,
    models,
    effort: config.LLM_EFFORT,
    responseCache: config.ENABLE_PHASE2_CACHING,
    promptCacheMinimum: perFeature((f) => (scenario.promptCaching ? cacheMinimum(models[f]) : Infinity)),
    perStudent: students.map(() => 0),
    perStudentFeature: perFeature(() => students.map(() => 0)),
    totalMicro: 0,
    featureMicro: perFeature(() => 0),
    requests: perFeature(() => noSources()),
    quotaRefused: 0,
    calls: perFeature(() => ({ total: 0, ok: 0, badOutput: 0, otherErrors: 0, truncated: 0 })),
    tokens: perFeature(() => noTokens()),
    composition: { schema: 0, system: 0, perCall: 0 },
    cacheCalls: { read: 0, write: 0, neither: 0 },
    pricingMismatches: 0,
    usageMismatches: 0,
    log: [],
    tutor: noTutorTally(),
    study: noStudyTally(),
    seconds: 0,
  };
  const indexOf = new Map(students.map((s) => [s.id, s.index]));
  const now = () => clock.now;
  const usage = standIn.usageLog(result, indexOf, {
    now,
    lastBody: () => fake.requests.at(-1)?.body,
    thinkingTokens: () => lastThinking,
    reasoningTokens: () => lastReasoningTokens,
    answerTokens: () => lastAnswerTokens,
  });
  const requests = standIn.premiumRequests(result);
  const policies = new LlmPolicies(policyOptions(config));
  const gateway = new LlmGateway(await createAdapter(config), usage, policies, config);

  const state: standIn.StudentState[] = students.map(() => ({ attempts: new Map(), lastQuizAt: null }));
  const results = standIn.quizResults(state, indexOf, catalog);
  const pathLimit = scenario.enforcePathQuota ? config.PREMIUM_ADAPTIVE_PATHS_LIMIT : Number.POSITIVE_INFINITY;
  const quota = standIn.quota(
    { adaptive_paths: pathLimit, assessments: config.PREMIUM_ASSESSMENTS_LIMIT, tutor_questions: config.PREMIUM_TUTOR_LIMIT, study_tools: config.PREMIUM_STUDY_LIMIT },
    { period: '2026-11', resetsAt: new Date(MONTH_START + DAYS * DAY).toISOString() },
  );
  const storage = standIn.adaptivePathStorage();
  const evidence = new PathEvidenceCollector(standIn.chapters(catalog), results);
  const paths = new AdaptivePathService(
    quota,
    evidence,
    new PathGenerator(gateway),
    new PathStore(standIn.keyValueStore(now), storage.paths, evidence),
    new PathSingleFlight(storage.builds),
    new PathAnalytics(requests),
    config,
  );

  // The real tutor over stand-ins; its shared cache is a key-value store of its own. With the
  // response cache off (the naive configuration) that store keeps nothing: every question is asked.
  const search = tutorStandIn.courseSearch(course);
  const tutorStore = config.ENABLE_PHASE2_CACHING ? standIn.keyValueStore(now) : standIn.forgetfulStore();
  const tutor = new TutorService(search, tutorStandIn.tutorChapters(course), tutorStandIn.tutorConversations(), new TutorAnswerCache(tutorStore, search), quota, requests, gateway);
  const conversations = new Map<string, string>();
  const offCoursePool = new Set(events.flatMap((e) => (e.kind === 'tutor' && e.questionKind === 'off_course' ? [e.question] : [])));

  // The real study tools over stand-ins. The app's store always shares (ENABLE_PHASE2_CACHING does
  // not apply to it); the naive configuration is the app without it: a store that keeps nothing.
  const practice = studyStandIn.practiceStorage();
  const chapterTokens = course.map((c) => countTokens(c.content_markdown));
  Object.assign(result.study.prompt, { chapterMin: Math.min(...chapterTokens), chapterMax: Math.max(...chapterTokens) });
  const study = new StudyToolsService(
    quota,
    studyStandIn.studyChapterReader(course),
    new StudyGenerator(gateway),
    studyStandIn.studyMaterials(now, config.ENABLE_PHASE2_CACHING),
    practice.sessions,
    practice.attempts,
    new StudySingleFlight(studyStandIn.studyBuilds()),
    requests,
  );

  let pending: PendingSubmission | null = null;
  const model = new ModelGrader(gateway);
  const grader = new AssessmentGraderService(standIn.submissions(() => pending), model, requests, config);

  const evidenceOf = (s: standIn.StudentState): ChapterEvidence[] =>
    catalog.map((c) => {
      const a = s.attempts.get(c.chapter_id);
      return { ...c, attempts: a?.attempts ?? 0, best_percentage: a ? a.best : null, passed: a?.passed ?? false };
    });

  let simulated = 0;
  try {
    for (const ev of events) {
      if (++simulated % 500 === 0) reportProgress(scenario.key, simulated);
      clock.now = ev.at;
      const student = students[ev.student]!;
      const s = state[ev.student]!;
      if (ev.kind === 'quiz') {
        const a = s.attempts.get(ev.chapterId) ?? { attempts: 0, best: 0, passed: false };
        s.attempts.set(ev.chapterId, { attempts: a.attempts + 1, best: Math.max(a.best, ev.percentage), passed: a.passed || ev.passed });
        s.lastQuizAt = ev.at;
        continue;
      }
      callNo = 0;
      if (ev.kind === 'study') {
        context = { feature: 'study_tools', seed: String(ev.seq), tool: ev.tool, chapterId: ev.chapterId, count: ev.count };
        const before = result.featureMicro.study_tools;
        const beforeCalls = result.calls.study_tools.total;
        try {
          const served = await serveStudy(study, ev, { studentId: student.id, variant: 'llm', requestId: `req-${ev.seq}` });
          const t = result.study;
          const tool = t.byTool[ev.tool];
          t.requests++;
          tool.requests++;
          if (served.source === 'cache') t.served++;
          else {
            t.generations++;
            tool.generations++;
          }
          tool.micro += result.featureMicro.study_tools - before;
          if (result.calls.study_tools.total > beforeCalls) notePrompt(result, fake.requests.at(-1)?.body);
        } catch (error) {
          if ((error as { code?: string }).code !== 'RATE_LIMIT_EXCEEDED') throw error;
          result.quotaRefused++;
        }
      } else if (ev.kind === 'tutor') {
        context = { feature: 'tutor_questions', seed: String(ev.seq) };
        const key = `${ev.student}:${ev.conversation}`;
        const conversationId = ev.followUp ? conversations.get(key) : undefined;
        const answer = await tutor.ask({ studentId: student.id, question: ev.question, chapterId: ev.chapterId, conversationId, variant: 'grounded', requestId: `req-${ev.seq}` });
        conversations.set(key, answer.conversation_id);
        const t = result.tutor;
        t.asked++;
        if (ev.followUp) t.followUps++;
        else t.shareable++;
        if (answer.decision_source === 'cache') t.sharedHits++;
        if (answer.off_course) t.offCourse++;
        if (answer.off_course && !offCoursePool.has(ev.question)) t.missedOnCourse++;
        if (!answer.off_course && ev.questionKind === 'off_course') t.answeredOffCourse++;
      } else if (ev.kind === 'path') {
        context = { feature: 'adaptive_paths', seed: String(ev.seq), draft: rulesPath(evidenceOf(s)) };
        try {
          await paths.path({ studentId: student.id, forceRefresh: false, variant: 'adaptive', requestId: `req-${ev.seq}` });
        } catch (error) {
          if ((error as { code?: string }).code !== 'RATE_LIMIT_EXCEEDED') throw error;
          result.quotaRefused++;
        }
      } else {
        context = { feature: 'assessments', seed: String(ev.seq), question: ev.question, answer: ev.answer };
        pending = {
          submission_id: ev.submissionId,
          student_id: student.id,
          answer_text: ev.answer.text,
          status: 'pending',
          variant: 'llm',
          ...ev.question,
        };
        if (config.GRADING_MODE === 'batch') {
          // Through the Message Batches API (a batch of one: what a batch costs does not depend on its size).
          const row = pending;
          const item = { customId: ev.submissionId, request: model.request(row), billing: billingOf(row) };
          const batchId = await gateway.submitBatch([item]);
          const outcomes = await gateway.batchResults(batchId, [item], new Date());
          if (outcomes === 'in_progress') throw new Error('The fake batch should have ended');
          for (const outcome of outcomes) await grader.finishFromBatch(row, outcome, new Date());
        } else {
          await grader.grade(ev.submissionId);
        }
        pending = null;
      }
      context = null;
      fake.requests.length = 0;
    }
  } finally {
    await fake.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** The study prompt's system and schema sizes (the fake's last request of the generation). */
function notePrompt(result: Result, body: any): void {
  const p = result.study.prompt;
  const system = (body?.system ?? []).reduce((n: number, b: { text: string }) => n + countTokens(b.text), 0);
  const schema = countTokens(JSON.stringify(body?.output_config?.format?.schema ?? ''));
  p.systemMin = Math.min(p.systemMin, system);
  p.systemMax = Math.max(p.systemMax, system);
  p.schemaMin = Math.min(p.schemaMin, schema);
  p.schemaMax = Math.max(p.schemaMax, schema);
}

// --- Checks of the fake's realism options ------------------------------------------------------

async function selfCheck(): Promise<string> {
  const fake = await FakeAnthropicServer.start({ countTokens, now: () => clock.now, minCacheableTokens: () => 50 });
  const client = new Anthropic({ apiKey: 'bench', baseURL: fake.url, maxRetries: 0 });
  try {
    const long = 'The rubric rewards a clear explanation of retrieval and grounding. '.repeat(8);
    const ask = (system: string) =>
      client.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 50,
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'An answer.' }],
      });
    const counted = await client.messages.countTokens({
      model: 'claude-sonnet-5-5',
      system: [{ type: 'text', text: long }],
      messages: [{ role: 'user', content: 'An answer.' }],
    });
    clock.now = MONTH_START;
    const first = await ask(long);
    clock.now += 4 * MINUTE;
    const second = await ask(long);
    clock.now += 6 * MINUTE;
    const third = await ask(long);
    const short = await ask('Too short to cache.');
    const u = first.usage;
    const total = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    const ok =
      counted.input_tokens === total &&
      total === countTokens(long) + countTokens('An answer.') &&
      (u.cache_creation_input_tokens ?? 0) === countTokens(long) &&
      second.usage.cache_read_input_tokens === countTokens(long) &&
      (third.usage.cache_read_input_tokens ?? 0) === 0 &&
      (third.usage.cache_creation_input_tokens ?? 0) === countTokens(long) &&
      (short.usage.cache_creation_input_tokens ?? 0) === 0 &&
      (short.usage.cache_read_input_tokens ?? 0) === 0;
    if (!ok) throw new Error(`The fake's token/caching options misbehave: ${JSON.stringify([counted, u, second.usage, third.usage, short.usage])}`);
    return 'count_tokens = billed input; prefix written, read 4 min later, written again 10 min later; short prefix never cached';
  } finally {
    await fake.close();
  }
}

/** Prefix sizes of every prompt the app builds, through the fake's count_tokens endpoint. */
async function prefixSizes(
  catalog: { chapter_id: string; title: string; order: number; prerequisites: string[] }[],
  questions: AssessmentQuestion[],
): Promise<{ grader: { min: number; max: number; task: number; schemaMin: number; schemaMax: number }; path: { total: number; schema: number; system: number } }> {
  const fake = await FakeAnthropicServer.start({ countTokens, countOutputFormat: true });
  const client = new Anthropic({ apiKey: 'bench', baseURL: fake.url, maxRetries: 0 });
  // count_tokens needs a message: an empty one adds nothing.
  const count = async (system: string[], schema: unknown, withSchema = true) =>
    (
      await client.messages.countTokens({
        model: 'claude-sonnet-5-5',
        system: system.map((text) => ({ type: 'text' as const, text })),
        messages: [{ role: 'user', content: '' }],
        ...(withSchema && { output_config: { format: { type: 'json_schema', schema: schema as Record<string, unknown> } } }),
      })
    ).input_tokens;
  try {
    const graders = await Promise.all(
      questions.map(async (q) => {
        const schema = zodOutputFormat(graderSchema(q)).schema;
        return { total: await count(graderSystem(q), schema), schema: (await count(graderSystem(q), schema)) - (await count(graderSystem(q), schema, false)) };
      }),
    );
    const evidence = catalog.map((c) => ({ ...c, attempts: 0, best_percentage: null, passed: false }));
    const pathSchemaJson = zodOutputFormat(pathSchema(catalog.map((c) => c.chapter_id))).schema;
    const pathTotal = await count(pathSystemPrompt(evidence), pathSchemaJson);
    const pathSystem = await count(pathSystemPrompt(evidence), pathSchemaJson, false);
    const task = await count([graderSystem(questions[0]!)[0]!], null, false);
    return {
      grader: {
        min: Math.min(...graders.map((g) => g.total)),
        max: Math.max(...graders.map((g) => g.total)),
        task,
        schemaMin: Math.min(...graders.map((g) => g.schema)),
        schemaMax: Math.max(...graders.map((g) => g.schema)),
      },
      path: { total: pathTotal, schema: pathTotal - pathSystem, system: pathSystem },
    };
  } finally {
    await fake.close();
  }
}

// --- Main --------------------------------------------------------------------------------------

type ScenarioSpec = { key: string; title: string; env: Record<string, string>; promptCaching: boolean; enforcePathQuota: boolean };

/** BENCH_GRADING_MODE=batch runs (a) with GRADING_MODE=batch: every grading through the Message Batches API. */
const BATCH_GRADING = process.env.BENCH_GRADING_MODE === 'batch';

const SCENARIOS: readonly ScenarioSpec[] = [
  BATCH_GRADING
    ? { key: 'defaults', title: 'our defaults with GRADING_MODE=batch (gradings through the Message Batches API)', env: { GRADING_MODE: 'batch' }, promptCaching: true, enforcePathQuota: true }
    : { key: 'defaults', title: 'our defaults (the app with no LLM settings changed)', env: {}, promptCaching: true, enforcePathQuota: true },
  {
    key: 'naive',
    title:
      'naive: claude-sonnet-5-5 for everything, no prompt caching, no response cache (every path request and tutor question calls the model, ' +
      'every study request generates), effort high',
    env: { ANTHROPIC_MODEL: 'claude-sonnet-5-5', LLM_EFFORT: 'high', ENABLE_PHASE2_CACHING: 'false' },
    promptCaching: false,
    enforcePathQuota: false,
  },
];

/** The course, the texts and the month: deterministic from the seed, so each worker builds the same. */
async function setup() {
  Logger.overrideLogger(false);
  const root = projectRoot();
  const course = await loadCourse();
  const catalog = [...course]
    .sort((a, b) => a.order - b.order)
    .map((c) => ({ chapter_id: c.chapter_id, title: c.title, order: c.order, prerequisites: c.prerequisites }));
  const questions: AssessmentQuestion[] = [...course]
    .sort((a, b) => a.order - b.order)
    .flatMap((c) => c.assessment_questions.map((q) => ({ ...q, chapter_id: c.chapter_id })));

  const semevalPath = join(root, '..', 'shared', 'eval', 'semeval2013-train.jsonl');
  const semeval = existsSync(semevalPath)
    ? readFileSync(semevalPath, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => String((JSON.parse(line) as { answer: string }).answer))
    : [];
  const bank = new TextBank(course, semeval);
  const defaults = loadConfig({ NODE_ENV: 'test' });

  const workload = buildWorkload({
    students: STUDENTS,
    monthStart: MONTH_START,
    days: DAYS,
    chapters: catalog,
    questions,
    bank,
    maxAnswerChars: defaults.ASSESSMENT_MAX_CHARS,
    pathLimit: defaults.PREMIUM_ADAPTIVE_PATHS_LIMIT,
    assessmentLimit: defaults.PREMIUM_ASSESSMENTS_LIMIT,
    seed: SEED,
  });
  // The realistic month adds tutor questions (run through TutorService) and study requests (StudyToolsService).
  const tutor = tutorEvents(workload.events, STUDENTS, loadPool(root), SEED, workload.events.length);
  const study = studyEvents(workload.events, STUDENTS, SEED, workload.events.length + tutor.length);
  const month: MonthEvent[] = [...workload.events, ...tutor, ...study].sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { root, catalog, course, questions, semeval, bank, defaults, workload, tutor, study, month };
}

/** Events simulated so far per configuration, shown on a terminal (see src/common/cli/progress.ts). */
const progressDone = new Map<string, number>();
let shownProgress: Progress | undefined;
function reportProgress(key: string, done: number): void {
  if (!isMainThread) {
    parentPort!.postMessage({ progress: key, done });
    return;
  }
  progressDone.set(key, done);
  shownProgress?.update([...progressDone.values()].reduce((a, b) => a + b, 0));
}

/** Runs one configuration in a worker thread (one per core), or here when BENCH_WORKERS=0. */
function runElsewhere(key: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { scenario: key } });
    worker.on('message', (message: Result | { progress: string; done: number }) => {
      if ('progress' in message) reportProgress(message.progress, message.done);
      else resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`The ${key} worker exited with ${code}`)));
  });
}

async function worker(key: string): Promise<void> {
  const { catalog, course, bank, workload, month } = await setup();
  const spec = SCENARIOS.find((s) => s.key === key)!;
  parentPort!.postMessage(await runScenario(spec, workload.students, month, catalog, course, bank));
}

async function main(): Promise<void> {
  const { root, catalog, course, questions, semeval, bank, defaults, workload, tutor, study, month } = await setup();
  const { students, events } = workload;
  const count = (kind: SimEvent['kind']) => events.filter((e) => e.kind === kind).length;
  const paths = events.filter((e) => e.kind === 'path');
  const submits = events.filter((e): e is Extract<SimEvent, { kind: 'submit' }> => e.kind === 'submit');
  const answerWords = submits.map((e) => e.answer.words);
  const kinds = submits.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.answer.kind]: (acc[e.answer.kind] ?? 0) + 1 }), {});
  const buildsPer = new Map<number, number>();
  for (const e of paths) if (e.expect === 'build') buildsPer.set(e.student, (buildsPer.get(e.student) ?? 0) + 1);
  const shortOfQuota = students.filter((s) => (buildsPer.get(s.index) ?? 0) < defaults.PREMIUM_ADAPTIVE_PATHS_LIMIT).length;
  const personas = students.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.persona]: (acc[s.persona] ?? 0) + 1 }), {});

  console.log('Course Companion: LLM cost per premium student-month (bench/cost/cost-per-student.bench.ts)');
  console.log(
    `Simulated month: November 2026 (${DAYS} days), ${int(STUDENTS)} premium students` +
      (STUDENTS === FULL_POPULATION ? ' (all simulated, no sampling)' : ` (sample; totals scaled to ${int(FULL_POPULATION)})`) +
      `, ${int(Math.ceil(STUDENTS / 25))} cohorts of 25 with weekly deadlines in 6 time zones; ` +
      `personas ${Object.entries(personas).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  );
  console.log(
    `Events: ${int(count('quiz'))} quiz attempts, ${int(paths.length)} adaptive-path requests ` +
      `(${int(paths.filter((e) => e.expect === 'build').length)} needing a new path, ${int(paths.filter((e) => e.expect === 'hit').length)} repeats within 24 h with no quiz since), ` +
      `${int(submits.length)} graded answers; quotas ${defaults.PREMIUM_ADAPTIVE_PATHS_LIMIT} paths + ${defaults.PREMIUM_ASSESSMENTS_LIMIT} assessments per student ` +
      `(${shortOfQuota} students did not use all path units)`,
  );
  const tutorKinds = tutor.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.questionKind]: (acc[e.questionKind] ?? 0) + 1 }), {});
  const studyTools = study.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.tool]: (acc[e.tool] ?? 0) + 1 }), {});
  console.log(
    `Realistic month (issue 15), on top: ${int(tutor.length)} tutor questions (${TUTOR_QUESTIONS_PER_STUDENT} per student; ` +
      `${Object.entries(tutorKinds).map(([k, v]) => `${k.replace('_', ' ')} ${int(v)}`).join(', ')}; ${int(tutor.filter((e) => e.chapterId).length)} asked from a chapter page), ` +
      `${int(study.length)} study requests (${STUDY_REQUESTS_PER_STUDENT} per student; ${Object.entries(studyTools).map(([k, v]) => `${k} ${int(v)}`).join(', ')}; ` +
      `${int(new Set(study.map((e) => `${e.chapterId}/${e.tool}/${e.count}`)).size)} distinct chapter/tool/count)`,
  );
  console.log(
    `Answers: words p10 ${percentile(answerWords, 10)}, p50 ${percentile(answerWords, 50)}, p90 ${percentile(answerWords, 90)}, max ${percentile(answerWords, 100)} ` +
      `(honest lengths from ${semeval.length > 0 ? `${int(semeval.length)} SemEval-2013 student answers` : 'the seeded reference answers only (../shared/eval missing)'} ` +
      `and the seeded reference answers); kinds ${Object.entries(kinds).map(([k, v]) => `${k} ${int(v)}`).join(', ')}`,
  );
  console.log(
    `Token counts: @anthropic-ai/tokenizer ${readPackageVersion(root, '@anthropic-ai/tokenizer')} (Anthropic's published Claude tokenizer; an approximation for current models), ` +
      `used by the fake Messages API for usage and its count_tokens endpoint`,
  );
  console.log(`Fake API self-check: ${await selfCheck()}`);

  const sizes = await prefixSizes(catalog, questions);
  const sonnetMin = cacheMinimum('claude-sonnet-5-5');
  console.log(
    `Cached prefixes (count_tokens): grader ${sizes.grader.min}-${sizes.grader.max} tokens per question (task ${sizes.grader.task}, schema ${sizes.grader.schemaMin}-${sizes.grader.schemaMax}, ` +
      `question+rubric+reference the rest); adaptive path ${sizes.path.total} (system ${sizes.path.system}, schema ${sizes.path.schema}). ` +
      `Minimum cacheable: claude-sonnet-5-5 ${int(sonnetMin)}, claude-haiku-5-5 ${int(cacheMinimum('claude-haiku-5-5'))} (assumed), claude-opus-5-5 ${cacheMinimum('claude-opus-5-5')} ` +
      `=> ${sizes.grader.max < sonnetMin && sizes.path.total < sonnetMin ? 'NO prefix the app builds can be cached on Sonnet 5.5' : 'some prefixes are cacheable'}`,
  );
  console.log(`  sources: ${CACHE_MINIMUM_SOURCES.join('; ')}`);

  const started = performance.now();
  shownProgress = progress('simulating both configurations (events)', 2 * month.length);
  const [a, b]: [Result, Result] =
    process.env.BENCH_WORKERS === '0'
      ? [await runScenario(SCENARIOS[0]!, students, month, catalog, course, bank), await runScenario(SCENARIOS[1]!, students, month, catalog, course, bank)]
      : await Promise.all([runElsewhere(SCENARIOS[0]!.key), runElsewhere(SCENARIOS[1]!.key)]);
  shownProgress.done();
  console.log(
    `Ran both configurations ${process.env.BENCH_WORKERS === '0' ? 'one after the other' : 'side by side in two worker threads'}: ` +
      `${int(SIMULATED.reduce((n, f) => n + a.calls[f].total + b.calls[f].total, 0))} LLM calls in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const sa = printScenario('(a)', a);
  const sb = printScenario('(b)', b);

  console.log('\nBudget per student-month (the realistic month: tutor and study tools included)');
  for (const [label, s] of [['(a) defaults', sa], ['(b) naive', sb]] as const) {
    console.log(
      `  ${label.padEnd(13)} mean ${dollars(s.mean)} = ${pct(s.mean, BUDGET_MICRO)}% of the quickstart budget ${dollars(BUDGET_MICRO)}, ` +
        `${pct(s.mean, MONTH_TARGET_MICRO)}% of the realistic month's target ${dollars(MONTH_TARGET_MICRO)} (issue 15); ` +
        `students over budget ${s.overBudget}, over ${dollars(MONTH_TARGET_MICRO)} ${s.overMonthTarget} of ${STUDENTS}; ` +
        `today's two features alone ${dollars(s.today)} = ${pct(s.today, TARGET_MICRO)}% of their target ${dollars(TARGET_MICRO)} (${s.todayOverTarget} students over)`,
    );
  }
  console.log(
    `  naive / defaults: ${(sb.mean / Math.max(1, sa.mean)).toFixed(2)}x; population of ${int(FULL_POPULATION)}: ` +
      `(a) ${dollars(scale(a.totalMicro))} a month, (b) ${dollars(scale(b.totalMicro))}`,
  );
  console.log('\nPer feature, mean $ per student-month   (a) defaults     (b) naive');
  for (const [name, pick] of [
    ['adaptive paths', (s: typeof sa) => s.paths],
    ['assessments', (s: typeof sa) => s.assessments],
    ['tutor questions', (s: typeof sa) => s.tutor],
    ['study tools', (s: typeof sa) => s.study],
    ['total', (s: typeof sa) => s.mean],
  ] as const) {
    console.log(`  ${name.padEnd(38)} ${dollars(pick(sa)).padEnd(16)} ${dollars(pick(sb))}`);
  }
  console.log(
    `  (a) is ${sa.mean <= MONTH_TARGET_MICRO ? 'within' : 'OVER'} the ${dollars(MONTH_TARGET_MICRO)} target: ` +
      `${dollars(Math.abs(MONTH_TARGET_MICRO - sa.mean))} ${sa.mean <= MONTH_TARGET_MICRO ? 'to spare' : 'too much'}`,
  );

  const whatIf = printWhatIfs(a, sonnetMin);

  console.log(
    JSON.stringify({
      bench: 'cost-per-student',
      month: '2026-11',
      students_simulated: STUDENTS,
      scaled_to: FULL_POPULATION,
      seed: SEED,
      tokenizer: `@anthropic-ai/tokenizer@${readPackageVersion(root, '@anthropic-ai/tokenizer')}`,
      budget_micro_usd: BUDGET_MICRO,
      target_micro_usd: TARGET_MICRO,
      month_target_micro_usd: MONTH_TARGET_MICRO,
      events: {
        quiz_attempts: count('quiz'),
        path_requests: paths.length,
        graded_answers: submits.length,
        tutor_questions: tutor.length,
        study_requests: study.length,
      },
      realistic_month: { tutor_questions_per_student: TUTOR_QUESTIONS_PER_STUDENT, study_requests_per_student: STUDY_REQUESTS_PER_STUDENT },
      answer_words: { p10: percentile(answerWords, 10), p50: percentile(answerWords, 50), p90: percentile(answerWords, 90), max: percentile(answerWords, 100) },
      prefix_tokens: sizes,
      cache_min_tokens: { 'claude-sonnet-5-5': sonnetMin, 'claude-haiku-5-5': cacheMinimum('claude-haiku-5-5'), 'claude-opus-5-5': cacheMinimum('claude-opus-5-5') },
      thinking_assumption: { ...THINKING, sigma: THINKING_SIGMA },
      defaults: figures(a, sa),
      naive: figures(b, sb),
      naive_over_defaults: Math.round((100 * sb.mean) / Math.max(1, sa.mean)) / 100,
      what_if_micro_usd_mean: whatIf,
    }),
  );
}

function readPackageVersion(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

if (isMainThread) await main();
else await worker((workerData as { scenario: string }).scenario);