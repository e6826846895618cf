import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PremiumRequestsService } from '../../src/usage/premium-requests.service.js';
import { type Account, newStudent, quotaCounters } from '../support/security/accounts.js';
import { GOOD_ANSWER } from '../support/security/api-routes.js';
import { expectNothingWritten } from '../support/security/db-snapshot.js';
import { expectApiError } from '../support/security/envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** What student A owns, all made through the API. */
type Owned = { resultId: string; completedKey: string; pathId: string; submissionId: string };

let t: TestApp;
let db: DataSource;
let a: Account;
let b: Account;
let freeC: Account;
let owned: Owned;

async function untilGraded(auth: string, id: string): Promise<void> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await t.http.get(`/api/v2/assessments/feedback/${id}`).set('authorization', auth).expect(200);
    if ((res.body as { status: string }).status !== 'pending' || Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await startTestApp();
  db = t.app.get(DataSource);
  [a, b, freeC] = await Promise.all([newStudent(t, 'premium'), newStudent(t, 'premium'), newStudent(t, 'free')]);
  const quiz = await t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', a.auth).send({ answers: { q1: 'a' } }).expect(200);
  const path = await t.http.post('/api/v2/adaptive/path').set('authorization', a.auth).send({}).expect(200);
  const sub = await t.http.post('/api/v2/assessments/submit').set('authorization', a.auth).send({ question_id: '04-rag-q1', answer_text: GOOD_ANSWER }).expect(202);
  await untilGraded(a.auth, sub.body.submission_id);
  const history = await t.http.get('/api/v1/progress/quiz-history').set('authorization', a.auth).expect(200);
  expect(history.body.attempts[0].result_id).toBe(quiz.body.result_id);
  // B has history of its own, so "B sees only B's rows" is not trivially true.
  await t.http.post('/api/v1/quizzes/02-prompting-quiz/submit').set('authorization', b.auth).send({ answers: { q1: 'b' } }).expect(200);
  const [row] = await db.query(
    `SELECT to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key FROM quiz_results WHERE result_id = $1`,
    [quiz.body.result_id],
  );
  owned = { resultId: quiz.body.result_id, completedKey: row.key, pathId: path.body.path_id, submissionId: sub.body.submission_id };
  // The setup's premium requests are recorded off the request path: in before any snapshot.
  await t.app.get(PremiumRequestsService).flush();
});
afterAll(() => t.close());

const feedback = (id: string, auth: string) => t.http.get(`/api/v2/assessments/feedback/${id}`).set('authorization', auth);

describe("a student asking for another student's objects by id", () => {
  it("gets 404 NOT_FOUND for another student's submission feedback, exactly as for an id that does not exist", async () => {
    // The control: the owner reads it.
    expect((await feedback(owned.submissionId, a.auth).expect(200)).body).toMatchObject({ submission_id: owned.submissionId, status: 'graded' });
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const nobody = randomUUID();
      const [theirs, missing] = await Promise.all([feedback(owned.submissionId, b.auth), feedback(nobody, b.auth)]);
      const e1 = expectApiError(theirs, 404, 'NOT_FOUND');
      const e2 = expectApiError(missing, 404, 'NOT_FOUND');
      // No existence oracle: the two answers differ only by the id echoed back.
      expect(e1.message.replace(owned.submissionId, '<id>')).toBe(e2.message.replace(nobody, '<id>'));
      expect(theirs.text).not.toContain(a.id);
      expect(theirs.text).not.toContain(GOOD_ANSWER.slice(0, 30));
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it("gets 404 NOT_FOUND for another student's quiz result id and adaptive path id, wherever an id is taken", async () => {
    await expectNothingWritten(db, async () => {
      for (const id of [owned.resultId, owned.pathId]) expectApiError(await feedback(id, b.auth), 404, 'NOT_FOUND');
      // API.md has no route that reads a result or a path by id; guessed ones must not exist either.
      const guesses: [string, string][] = [
        ['get', `/api/v1/progress/quiz-history/${owned.resultId}`],
        ['get', `/api/v1/results/${owned.resultId}`],
        ['get', `/api/v1/quizzes/01-intro-quiz/results/${owned.resultId}`],
        ['get', `/api/v2/adaptive/path/${owned.pathId}`],
        ['post', `/api/v2/adaptive/path/${owned.pathId}`],
        ['get', `/api/v2/adaptive/paths/${owned.pathId}`],
        ['get', `/api/v2/assessments/submissions/${owned.submissionId}`],
      ];
      for (const [method, url] of guesses) {
        const res = await (method === 'get' ? t.http.get(url) : t.http.post(url).send({})).set('authorization', b.auth);
        expectApiError(res, 404, 'NOT_FOUND');
      }
    });
  });

  it("gets 404 NOT_FOUND submitting to another student's practice quiz, exactly as for one that does not exist, and nothing is graded", async () => {
    const practice = await t.http.post('/api/v2/study/practice-quiz').set('authorization', a.auth).send({ chapter_id: '03-embeddings', count: 3 }).expect(200);
    const id = practice.body.practice_id as string;
    // The request's analytics row is written off the request path: in before the snapshot.
    await t.app.get(PremiumRequestsService).flush();
    const submit = (practiceId: string, auth: string) =>
      t.http.post(`/api/v2/study/practice-quiz/${practiceId}/submit`).set('authorization', auth).send({ answers: { p1: 'a' } });
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const nobody = randomUUID();
      const [theirs, missing] = await Promise.all([submit(id, b.auth), submit(nobody, b.auth)]);
      const e1 = expectApiError(theirs, 404, 'NOT_FOUND');
      const e2 = expectApiError(missing, 404, 'NOT_FOUND');
      expect(e1.message.replace(id, '<id>')).toBe(e2.message.replace(nobody, '<id>'));
      expect(theirs.text).not.toContain(a.id);
    });
    expect(await quotaCounters(t)).toEqual(quotas);
    // The control: the owner's submission is graded.
    expect((await submit(id, a.auth).expect(200)).body.max_score).toBe(3);
  });

  it("gets 403 PREMIUM_REQUIRED as a free student, before any lookup of another student's submission", async () => {
    await expectNothingWritten(db, async () => {
      const [theirs, missing] = await Promise.all([feedback(owned.submissionId, freeC.auth), feedback(randomUUID(), freeC.auth)]);
      expect(expectApiError(theirs, 403, 'PREMIUM_REQUIRED').message).toBe(expectApiError(missing, 403, 'PREMIUM_REQUIRED').message);
    });
  });
});

describe("a student's own views never include another student's data", () => {
  it("quiz history and progress hold only the caller's results, even with a cursor made from another student's result", async () => {
    await expectNothingWritten(db, async () => {
      const mine = await t.http.get('/api/v1/progress/quiz-history').set('authorization', b.auth).expect(200);
      expect(mine.body.attempts.map((x: { quiz_id: string }) => x.quiz_id)).toEqual(['02-prompting-quiz']);
      expect(mine.text).not.toContain(owned.resultId);

      // A keyset cursor just after A's result: the keyset is applied within B's rows only.
      const cursor = Buffer.from(JSON.stringify([new Date(Date.parse(owned.completedKey) + 3_600_000).toISOString().replace('Z', '000Z'), owned.resultId])).toString(
        'base64url',
      );
      const paged = await t.http.get('/api/v1/progress/quiz-history').query({ cursor }).set('authorization', b.auth).expect(200);
      expect(paged.text).not.toContain(owned.resultId);
      expect(paged.body.attempts.map((x: { quiz_id: string }) => x.quiz_id)).toEqual(['02-prompting-quiz']);

      const progress = await t.http.get('/api/v1/progress').set('authorization', b.auth).expect(200);
      const intro = progress.body.chapters.find((c: { chapter_id: string }) => c.chapter_id === '01-intro');
      expect(intro).toMatchObject({ attempts: 0, status: 'not_started' });
    });
  });

  it("refuses to let a student name another student in a request (400 VALIDATION_ERROR), and writes nothing", async () => {
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const attempts = [
        t.http.get('/api/v1/progress/quiz-history').query({ student_id: a.id }).set('authorization', b.auth),
        t.http.post('/api/v2/adaptive/path').set('authorization', b.auth).send({ student_id: a.id }),
        t.http.post('/api/v2/adaptive/path').set('authorization', b.auth).send({ path_id: owned.pathId }),
        t.http.post('/api/v2/assessments/submit').set('authorization', b.auth).send({ question_id: '04-rag-q1', answer_text: 'x', student_id: a.id }),
        t.http.post('/api/v1/quizzes/01-intro-quiz/submit').set('authorization', b.auth).send({ answers: { q1: 'a' }, student_id: a.id }),
      ];
      const fields = ['student_id', 'student_id', 'path_id', 'student_id', 'student_id'];
      const responses = await Promise.all(attempts);
      responses.forEach((res, i) => {
        expect(expectApiError(res, 400, 'VALIDATION_ERROR').details).toContainEqual({ field: fields[i], issue: `property ${fields[i]} should not exist` });
      });
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it("answers 404 NOT_FOUND for another student's tutor conversation, as for one that does not exist, and writes nothing", async () => {
    const ask = (auth: string, body: object) => t.http.post('/api/v2/tutor/ask').set('authorization', auth).send(body);
    const mine = await ask(a.auth, { question: 'What is chunking in retrieval-augmented generation?' }).expect(200);
    // The control: the owner continues it.
    const next = await ask(a.auth, { question: 'How big should chunks be?', conversation_id: mine.body.conversation_id }).expect(200);
    expect(next.body.conversation_id).toBe(mine.body.conversation_id);
    // The owner's requests are recorded for the metrics off the request path: in before the snapshot.
    await t.app.get(PremiumRequestsService).flush();
    const quotas = await quotaCounters(t);
    await expectNothingWritten(db, async () => {
      const [theirs, missing] = await Promise.all([
        ask(b.auth, { question: 'How big should chunks be?', conversation_id: mine.body.conversation_id }),
        ask(b.auth, { question: 'How big should chunks be?', conversation_id: randomUUID() }),
      ]);
      expectApiError(theirs, 404, 'NOT_FOUND');
      expectApiError(missing, 404, 'NOT_FOUND');
      expect(JSON.stringify(theirs.body)).not.toContain('chunk');
    });
    expect(await quotaCounters(t)).toEqual(quotas);
  });

  it("gives B a path of B's own, never A's cached one", async () => {
    const res = await t.http.post('/api/v2/adaptive/path').set('authorization', b.auth).send({}).expect(200);
    expect(res.body.student_id).toBe(b.id);
    expect(res.body.path_id).not.toBe(owned.pathId);
  });
});
