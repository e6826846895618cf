/** The cost bench's figures: per-student statistics, re-pricing what-ifs, and the printed report. */
import { formatUsd } from '../../src/common/money/index.js';
import { computeCost, type TokenUsage } from '../../src/llm/pricing/cost-calculator.js';
import { SIMULATED, type CallRecord, type Feature, type Result, type Tokens } from './result.js';
import { BUDGET_MICRO, CACHE_TTL_MS, cacheMinimum, FULL_POPULATION, MONTH_TARGET_MICRO, STUDENTS, TARGET_MICRO } from './settings.js';
import { MINUTE } from './workload.js';

export const dollars = (micro: number) => `$${formatUsd(micro)}`;
export const int = (n: number) => n.toLocaleString('en-US');
export const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);
export const pct2 = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((10_000 * part) / whole) / 100);
/** Nearest-rank percentile of integers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
/** Exact mean in whole micro-dollars, rounded half-up. */
export function mean(values: number[]): number {
  const total = values.reduce((s, v) => s + BigInt(v), 0n);
  const n = BigInt(Math.max(1, values.length));
  return Number((total * 2n + n) / (2n * n));
}
export const scale = (micro: number) => Math.round((micro * FULL_POPULATION) / STUDENTS);

export function priceLog(
  log: CallRecord[],
  model: (c: CallRecord) => string,
  usage: (c: CallRecord) => TokenUsage,
  batch: (c: CallRecord) => boolean = () => false,
): number[] {
  const perStudent = new Map<number, number>();
  for (const c of log) {
    const micro = computeCost(model(c), usage(c), { at: new Date(c.at), batch: batch(c) }).microUsd;
    perStudent.set(c.student, (perStudent.get(c.student) ?? 0) + micro);
  }
  return [...perStudent.values()];
}

/**
 * The prompt cache as if every prefix reached the model's minimum (padded with useful text up to
 * it): per call, a read when the same prefix was used within the TTL (a hit refreshes it), else a
 * write at that TTL's rate; the rest of the prompt stays plain input.
 */
export function cacheIfPadded(log: CallRecord[], feature: Feature | null, ttl: '5m' | '1h' = '5m'): { calls: CallRecord[]; reads: number; total: number } {
  const ttlMs = ttl === '1h' ? 60 * MINUTE : CACHE_TTL_MS;
  const lastUse = new Map<number, number>();
  let reads = 0;
  let total = 0;
  const calls = log.map((c) => {
    if (feature !== null && c.feature !== feature) return c;
    total++;
    const padded = Math.max(c.prefixTokens, cacheMinimum(c.model));
    const read = (lastUse.get(c.prefixKey) ?? -Infinity) > c.at - ttlMs;
    lastUse.set(c.prefixKey, c.at);
    if (read) reads++;
    const plain = c.usage.inputTokens + c.usage.cacheReadTokens + c.usage.cacheWrite5mTokens + c.usage.cacheWrite1hTokens - c.prefixTokens;
    return {
      ...c,
      usage: {
        ...c.usage,
        inputTokens: plain,
        cacheReadTokens: read ? padded : 0,
        cacheWrite5mTokens: read || ttl === '1h' ? 0 : padded,
        cacheWrite1hTokens: read || ttl === '5m' ? 0 : padded,
      },
    };
  });
  return { calls, reads, total };
}

/** A configuration's figures per student-month, every feature included. */
export function summary(r: Result) {
  const perStudent = r.perStudent;
  const today = r.perStudentFeature.adaptive_paths.map((m, i) => m + r.perStudentFeature.assessments[i]!);
  const requestsOf = (f: Feature) => Object.values(r.requests[f]).reduce((s, n) => s + n, 0);
  const all = SIMULATED.reduce((acc, f) => {
    const s = r.requests[f];
    return { total: acc.total + requestsOf(f), cache: acc.cache + s.cache, rules: acc.rules + s.rules + s.fallback, model: acc.model + s.llm, refused: acc.refused + s.rejected };
  }, { total: 0, cache: 0, rules: 0, model: 0, refused: 0 });
  const tokens = (['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output', 'thinking'] as const).reduce(
    (acc, k) => ({ ...acc, [k]: SIMULATED.reduce((sum, f) => sum + r.tokens[f][k], 0) }),
    {} as Tokens,
  );
  return {
    mean: mean(perStudent),
    p50: percentile(perStudent, 50),
    p95: percentile(perStudent, 95),
    max: percentile(perStudent, 100),
    paths: mean(r.perStudentFeature.adaptive_paths),
    assessments: mean(r.perStudentFeature.assessments),
    tutor: mean(r.perStudentFeature.tutor_questions),
    study: mean(r.perStudentFeature.study_tools),
    /** Today's two features alone (the month before issue 15). */
    today: mean(today),
    todayOverTarget: today.filter((m) => m > TARGET_MICRO).length,
    overBudget: perStudent.filter((m) => m > BUDGET_MICRO).length,
    overTarget: perStudent.filter((m) => m > TARGET_MICRO).length,
    overMonthTarget: perStudent.filter((m) => m > MONTH_TARGET_MICRO).length,
    requests: all,
    tokens,
    calls: SIMULATED.reduce((sum, f) => sum + r.calls[f].total, 0),
  };
}

export function printScenario(label: string, r: Result): ReturnType<typeof summary> {
  const s = summary(r);
  const f = (feature: Feature) => r.requests[feature];
  console.log(`\n${label} ${r.title}`);
  console.log(
    `  models: adaptive_paths=${r.models.adaptive_paths}, assessments=${r.models.assessments}, tutor_questions=${r.models.tutor_questions}, study_tools=${r.models.study_tools}; effort ${r.effort}; ` +
      `response cache ${r.responseCache ? 'on (24 h, until the next quiz)' : 'off'}; prompt caching ${Number.isFinite(r.promptCacheMinimum.assessments) ? `on (cache_control; cached from ${int(r.promptCacheMinimum.assessments)} tokens)` : 'off'}`,
  );
  console.log(`  $ per student-month: mean ${dollars(s.mean)}  p50 ${dollars(s.p50)}  p95 ${dollars(s.p95)}  max ${dollars(s.max)}`);
  console.log(
    `    of which adaptive paths ${dollars(s.paths)}, assessments ${dollars(s.assessments)}, tutor ${dollars(s.tutor)}, study tools ${dollars(s.study)} (means); ` +
      `today's two features alone ${dollars(s.today)}`,
  );
  console.log(
    `  premium requests ${int(s.requests.total)}: cache ${pct2(s.requests.cache, s.requests.total)}%, rules ${pct2(s.requests.rules, s.requests.total)}% ` +
      `(fallbacks after a model failure: ${int(SIMULATED.reduce((n, x) => n + f(x).fallback, 0))}), model ${pct2(s.requests.model, s.requests.total)}%, ` +
      `refused (quota) ${int(r.quotaRefused)}`,
  );
  console.log(
    `    adaptive paths ${int(Object.values(f('adaptive_paths')).reduce((a, b) => a + b, 0))}: cache ${int(f('adaptive_paths').cache)}, model ${int(f('adaptive_paths').llm)}, ` +
      `rules ${int(f('adaptive_paths').rules + f('adaptive_paths').fallback)} | assessments ${int(Object.values(f('assessments')).reduce((a, b) => a + b, 0))}: ` +
      `model ${int(f('assessments').llm)}, rules ${int(f('assessments').rules + f('assessments').fallback)} | tutor ${int(Object.values(f('tutor_questions')).reduce((a, b) => a + b, 0))}: ` +
      `cache ${int(f('tutor_questions').cache)}, model ${int(f('tutor_questions').llm)}, rules ${int(f('tutor_questions').rules + f('tutor_questions').fallback)} (off course ${int(r.tutor.offCourse)}) | ` +
      `study tools ${int(Object.values(f('study_tools')).reduce((a, b) => a + b, 0))}: cache ${int(f('study_tools').cache)}, model ${int(f('study_tools').llm)}, ` +
      `rules ${int(f('study_tools').rules + f('study_tools').fallback)}`,
  );
  printTutor(r);
  printStudy(r);
  const c = r.calls;
  console.log(
    `  LLM calls ${int(s.calls)} (adaptive paths ${int(c.adaptive_paths.total)}, assessments ${int(c.assessments.total)}, tutor ${int(c.tutor_questions.total)}, study tools ${int(c.study_tools.total)}); ` +
      `answers cut off at max_tokens ${int(SIMULATED.reduce((n, x) => n + c[x].truncated, 0))}, other bad answers ${int(SIMULATED.reduce((n, x) => n + c[x].badOutput - c[x].truncated, 0))}, ` +
      `grades failing the app's checks (regraded) ${int(c.assessments.total - c.assessments.badOutput - c.assessments.otherErrors - f('assessments').llm)}`,
  );
  const t = s.tokens;
  console.log(
    `  tokens: input ${int(t.input)}, cache write ${int(t.cacheWrite5m + t.cacheWrite1h)}, cache read ${int(t.cacheRead)}, ` +
      `output ${int(t.output)} (thinking ${int(t.thinking)}, answer text ${int(t.output - t.thinking)})`,
  );
  console.log(
    `    prompt make-up: structured-output schema ${int(r.composition.schema)}, system prefix ${int(r.composition.system)}, per-call input ${int(r.composition.perCall)}; ` +
      `per call: ${int(Math.round((t.input + t.cacheRead + t.cacheWrite5m) / Math.max(1, s.calls)))} in, ${int(Math.round(t.output / Math.max(1, s.calls)))} out`,
  );
  console.log(`  prompt cache: calls reading ${int(r.cacheCalls.read)}, writing ${int(r.cacheCalls.write)}, neither ${int(r.cacheCalls.neither)}`);
  console.log(
    `  checks: usage = tokenizer count of the request ${r.usageMismatches === 0 ? 'yes' : `NO (${r.usageMismatches})`}; ` +
      `cost at the simulated date = cost the gateway logged ${r.pricingMismatches === 0 ? 'yes' : `NO (${r.pricingMismatches})`}; ran in ${r.seconds.toFixed(1)} s`,
  );
  return s;
}

function printTutor(r: Result): void {
  const t = r.tutor;
  const calls = r.calls.tutor_questions;
  const tokens = r.tokens.tutor_questions;
  console.log(
    `  tutor (run through TutorService): ${int(t.asked)} questions, ${int(t.followUps)} follow-ups in a conversation (never shared); ` +
      `shared cache hits ${int(t.sharedHits)} = ${pct(t.sharedHits, t.shareable)}% of the ${int(t.shareable)} openers, ${pct(t.sharedHits, t.asked)}% of all questions; ` +
      `off course (no model, no unit) ${int(t.offCourse)}; per model call ${int(Math.round((tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h) / Math.max(1, calls.total)))} in, ` +
      `${int(Math.round(tokens.output / Math.max(1, calls.total)))} out (thinking ${int(Math.round(tokens.thinking / Math.max(1, calls.total)))})`,
  );
  console.log(
    `    search stand-in (word overlap, not PostgreSQL): pool questions on course it found nothing relevant for ${int(t.missedOnCourse)}, ` +
      `off-course pool questions it answered ${int(t.answeredOffCourse)}; had the first all gone to the model: ` +
      `at most +${dollars(Math.round((r.featureMicro.tutor_questions / Math.max(1, calls.total)) * t.missedOnCourse / STUDENTS))} per student`,
  );
}

function printStudy(r: Result): void {
  const study = r.study;
  const tokens = r.tokens.study_tools;
  const calls = r.calls.study_tools;
  const tool = (name: keyof typeof study.byTool) => {
    const t = study.byTool[name];
    return `${name} ${int(t.requests)} requests/${int(t.generations)} generations ${dollars(t.micro)}`;
  };
  console.log(
    `  study tools (run through StudyToolsService: ${r.responseCache ? 'each (chapter version, tool, count) generated once and shared' : 'a store that keeps nothing, every request generates'}): ` +
      `${int(study.requests)} requests, ${int(study.generations)} generations, ${int(study.served)} served from the store (${pct(study.served, study.requests)}%); ` +
      `${dollars(r.featureMicro.study_tools)} in the month = ${dollars(mean(r.perStudentFeature.study_tools))} per student` +
      (r.responseCache && STUDENTS < FULL_POPULATION ? ` (a sample of ${int(STUDENTS)}: the full population shares each generation more widely)` : ''),
  );
  console.log(
    `    ${tool('summary')}; ${tool('flashcards')}; ${tool('practice')}; per model call ${int(Math.round((tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h) / Math.max(1, calls.total)))} in ` +
      `(system ${int(study.prompt.systemMin)}-${int(study.prompt.systemMax)}, schema ${int(study.prompt.schemaMin)}-${int(study.prompt.schemaMax)}; cache read ${int(tokens.cacheRead)}, written ${int(tokens.cacheWrite5m + tokens.cacheWrite1h)} in all), ` +
      `${int(Math.round(tokens.output / Math.max(1, calls.total)))} out (thinking ${int(Math.round(tokens.thinking / Math.max(1, calls.total)))}); ` +
      `cut off at max_tokens ${int(calls.truncated)}, fallbacks to the rules ${int(r.requests.study_tools.fallback)}`,
  );
}

/** (a)'s exact calls re-priced; token counts unchanged (the model's own verbosity is not modelled). Printed, and returned for the JSON line. */
export function printWhatIfs(a: Result, sonnetMin: number) {
  const haikuAll = priceLog(a.log, () => 'claude-haiku-5-5', (c) => c.usage);
  const sonnetGrading = priceLog(a.log, (c) => (c.feature === 'assessments' ? 'claude-sonnet-5-5' : c.model), (c) => c.usage);
  const padded = cacheIfPadded(a.log, null);
  const paddedPrice = priceLog(padded.calls, (c) => c.model, (c) => c.usage);
  const paddedGrading = cacheIfPadded(a.log, 'assessments');
  const paddedPaths = cacheIfPadded(a.log, 'adaptive_paths');
  const padded1h = cacheIfPadded(a.log, null, '1h');
  const padded1hPrice = priceLog(padded1h.calls, (c) => c.model, (c) => c.usage);
  const padded1hGrading = cacheIfPadded(a.log, 'assessments', '1h');
  const padded1hPaths = cacheIfPadded(a.log, 'adaptive_paths', '1h');
  const noReasoning = priceLog(a.log, (c) => c.model, (c) => ({ ...c.usage, outputTokens: c.usage.outputTokens - c.reasoningTokens }));
  const batchGrading = priceLog(a.log, (c) => c.model, (c) => c.usage, (c) => c.feature === 'assessments');
  const haikuBatchGrading = priceLog(a.log, () => 'claude-haiku-5-5', (c) => c.usage, (c) => c.feature === 'assessments');
  const sonnetTutor = priceLog(a.log, (c) => (c.feature === 'tutor_questions' ? 'claude-sonnet-5-5' : c.model), (c) => c.usage);
  const reasoningTokens = a.log.reduce((sum, c) => sum + c.reasoningTokens, 0);
  const whatIf = {
    haiku_all: mean(haikuAll),
    sonnet_assessments: mean(sonnetGrading),
    padded_prefix: mean(paddedPrice),
    padded_read_share_assessments: pct(paddedGrading.reads, paddedGrading.total),
    padded_read_share_paths: pct(paddedPaths.reads, paddedPaths.total),
    padded_1h: mean(padded1hPrice),
    padded_1h_read_share_assessments: pct(padded1hGrading.reads, padded1hGrading.total),
    padded_1h_read_share_paths: pct(padded1hPaths.reads, padded1hPaths.total),
    no_path_reasoning: mean(noReasoning),
    path_reasoning_tokens: reasoningTokens,
    batch_assessments: mean(batchGrading),
    haiku_all_batch_assessments: mean(haikuBatchGrading),
    sonnet_tutor: mean(sonnetTutor),
  };
  console.log('\nWhat-ifs on (a), re-priced from its exact token counts (not re-simulated; output length assumed unchanged)');
  console.log(`  claude-haiku-5-5 for every feature: mean ${dollars(whatIf.haiku_all)} per student-month`);
  console.log(`  claude-sonnet-5-5 grading too (paths' model): mean ${dollars(whatIf.sonnet_assessments)}`);
  console.log(
    `  cached prefixes padded to ${int(sonnetMin)} tokens (e.g. graded examples): mean ${dollars(whatIf.padded_prefix)}; ` +
      `5-min cache reads would be ${whatIf.padded_read_share_assessments}% of grading calls, ${whatIf.padded_read_share_paths}% of path calls`,
  );
  console.log(
    `  the same with the 1-hour TTL (cache_control ttl "1h", writes at 2x input): mean ${dollars(whatIf.padded_1h)}; ` +
      `reads ${whatIf.padded_1h_read_share_assessments}% of grading calls, ${whatIf.padded_1h_read_share_paths}% of path calls`,
  );
  console.log(
    `  no "reasoning" asked of the path model when include_reasoning is false (${int(reasoningTokens)} output tokens): mean ${dollars(whatIf.no_path_reasoning)}`,
  );
  console.log(`  grading through the Message Batches API (50% off; feedback in minutes to hours): mean ${dollars(whatIf.batch_assessments)}`);
  console.log(`  claude-haiku-5-5 for all, grading batched:  mean ${dollars(whatIf.haiku_all_batch_assessments)}`);
  console.log(`  claude-sonnet-5-5 for the tutor (the paths' model): mean ${dollars(whatIf.sonnet_tutor)}`);
  return whatIf;
}

/** One configuration's figures for the JSON line. */
export function figures(r: Result, s: ReturnType<typeof summary>) {
  const study = r.study;
  const t = r.tokens.study_tools;
  const studyFigures = {
    model: r.models.study_tools,
    shared: r.responseCache,
    requests: study.requests,
    generations: study.generations,
    served_from_store: study.served,
    micro_usd_month: r.featureMicro.study_tools,
    tokens: { input: t.input + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h, output: t.output, thinking: t.thinking },
    prompt_tokens: {
      system: study.prompt.systemMax,
      schema: study.prompt.schemaMax,
      system_min: finite(study.prompt.systemMin),
      system_max: study.prompt.systemMax,
      schema_min: finite(study.prompt.schemaMin),
      schema_max: study.prompt.schemaMax,
      chapterMin: study.prompt.chapterMin,
      chapterMax: study.prompt.chapterMax,
    },
    by_tool: study.byTool,
  };
  return {
    models: r.models,
    effort: r.effort,
    response_cache: r.responseCache,
    prompt_cache_min_tokens: Number.isFinite(r.promptCacheMinimum.assessments) ? r.promptCacheMinimum : null,
    micro_usd_per_student_month: {
      mean: s.mean,
      p50: s.p50,
      p95: s.p95,
      max: s.max,
      adaptive_paths_mean: s.paths,
      assessments_mean: s.assessments,
      tutor_questions_mean: s.tutor,
      study_tools_mean: s.study,
      /** Kept for readers of earlier lines: the same measured figure (no longer modelled). */
      study_tools_mean_modelled: s.study,
      today_features_mean: s.today,
    },
    micro_usd_total_for_1000_students: scale(r.totalMicro),
    premium_requests: s.requests,
    request_share_percent: {
      cache: pct2(s.requests.cache, s.requests.total),
      rules: pct2(s.requests.rules, s.requests.total),
      model: pct2(s.requests.model, s.requests.total),
    },
    requests_by_feature: r.requests,
    llm_calls: { total: s.calls, by_feature: r.calls },
    tokens: s.tokens,
    tokens_by_feature: r.tokens,
    prompt_make_up: r.composition,
    prompt_cache_calls: r.cacheCalls,
    students_over_budget: s.overBudget,
    students_over_target: s.overTarget,
    students_over_month_target: s.overMonthTarget,
    tutor: r.tutor,
    study_tools: studyFigures,
    /** Kept for readers of earlier lines: the same measured figures. */
    study_tools_modelled: studyFigures,
    checks: { usage_mismatches: r.usageMismatches, pricing_mismatches: r.pricingMismatches },
  };
}

const finite = (n: number) => (Number.isFinite(n) ? n : 0);
