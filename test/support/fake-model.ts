import { startTestApp, type TestApp } from './test-app.js';

/**
 * The real Anthropic SDK pointed at the fake server with one quick retry: the suites that watch the
 * gateway retry a 429 or a bad answer want it, without waiting out production backoff.
 */
export const retryingFakeModelEnv = (fakeUrl: string): Record<string, string> => ({
  ANTHROPIC_API_KEY: 'test-key',
  ANTHROPIC_BASE_URL: fakeUrl,
  ANTHROPIC_MAX_RETRIES: '1',
  LLM_RETRY_BASE_MS: '5',
});

/** A fake-model answer to a grading request: one point per criterion the request's schema names. */
export function onePointPerCriterion(body: any): unknown {
  const ids: string[] | undefined = body.output_config?.format?.schema?.properties?.criteria?.items?.properties?.criterion_id?.enum;
  if (!ids) return undefined;
  return {
    criteria: ids.map((criterion_id) => ({ criterion_id, score: 1, comment: 'Partly.' })),
    total_score: ids.length,
    feedback: 'Good start.',
    strengths: ['Names retrieval.'],
    improvements: [],
    off_topic: false,
    injection_suspected: false,
  };
}

/** Polls a submission's feedback until it is no longer pending or `timeoutMs` passes; returns the last body. */
export async function settledFeedback(t: TestApp, auth: string, id: string, timeoutMs: number, everyMs = 100): Promise<any> {
  let feedback: any;
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, everyMs))) {
    feedback = (await t.http.get(`/api/v2/assessments/feedback/${id}`).set('authorization', auth).expect(200)).body;
    if (feedback.status !== 'pending') break;
  }
  return feedback;
}

/**
 * For a describe block: a fake model server, then a test app pointed at it by `env(fake.url)`; both
 * closed after all its tests, the app first so none of its calls meets a closed fake. Read them
 * through the returned object: they exist only once beforeAll has run.
 */
export function appOnFakeModel<F extends { url: string; close(): Promise<void> }>(
  startFake: () => Promise<F>,
  env: (fakeUrl: string) => Record<string, string>,
): { readonly fake: F; readonly t: TestApp } {
  let fake: F | undefined;
  let t: TestApp | undefined;
  beforeAll(async () => {
    fake = await startFake();
    t = await startTestApp(env(fake.url));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('appOnFakeModel: used before its beforeAll ran');
    return value;
  };
  return {
    get fake() {
      return started(fake);
    },
    get t() {
      return started(t);
    },
  };
}
