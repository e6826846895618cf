import type { ApiException } from '../../common/errors/index.js';
import { createValidationPipe } from '../../common/http/index.js';
import type { SubmissionFeedback } from './assessment.js';
import {
  answerLengthIssue,
  idempotencyKeyIssue,
  SubmitAssessmentDto,
  toAssessmentQuestionDto,
  toFeedbackDto,
  toSubmissionAcceptedDto,
} from './assessments.dto.js';

const pipe = createValidationPipe();
const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: SubmitAssessmentDto }) as Promise<SubmitAssessmentDto>;
const issues = async (value: unknown) => {
  try {
    await body(value);
  } catch (error) {
    return (error as ApiException).extra.details;
  }
  throw new Error('expected a validation error');
};

describe('SubmitAssessmentDto through the validation pipe', () => {
  it('trims the answer (what is stored and counted)', async () => {
    expect(await body({ question_id: '04-rag-q1', answer_text: '  RAG keeps answers current.\n' })).toEqual({
      question_id: '04-rag-q1',
      answer_text: 'RAG keeps answers current.',
    });
  });

  it('refuses a blank answer, a missing one and one that is not text', async () => {
    expect(await issues({ question_id: '04-rag-q1', answer_text: ' \n\t ' })).toEqual([{ field: 'answer_text', issue: 'must not be empty' }]);
    expect(await issues({ question_id: '04-rag-q1' })).toEqual([{ field: 'answer_text', issue: 'must be a string' }]);
    expect(await issues({ question_id: '04-rag-q1', answer_text: 42 })).toEqual([{ field: 'answer_text', issue: 'must be a string' }]);
  });
});

describe('answerLengthIssue', () => {
  it('allows the configured number of characters and refuses one more', () => {
    expect(answerLengthIssue({ question_id: 'q', answer_text: 'x'.repeat(400) }, 400)).toBeUndefined();
    expect(answerLengthIssue({ question_id: 'q', answer_text: 'x'.repeat(401) }, 400)).toEqual({ field: 'answer_text', issue: 'must be at most 400 characters' });
  });
});

describe('idempotencyKeyIssue', () => {
  it('takes 1 to 128 letters, digits and ._:-', () => {
    for (const key of ['a', 'retry-42', 'A.b_c:d-9', 'k'.repeat(128)]) expect(idempotencyKeyIssue(key)).toBeUndefined();
  });

  it('refuses an empty, long, spaced or non-ASCII key', () => {
    for (const key of ['', 'k'.repeat(129), 'two words', 'clé', 'a,b', 'a/b']) {
      expect(idempotencyKeyIssue(key)).toEqual({ field: 'Idempotency-Key', issue: 'must be 1-128 letters, digits or ._:-' });
    }
  });
});

describe('mappers', () => {
  it('shows a question without its rubric or reference answer', () => {
    const question = {
      question_id: '04-rag-q1',
      chapter_id: '04-rag',
      prompt: 'When would you choose RAG?',
      max_score: 10,
      rubric_summary: 'Names the trade-off.',
      rubric: [{ criterion_id: 'c1', description: 'd', max_score: 10, key_concepts: [] }],
      reference_answer: 'The secret model answer',
    };
    expect(toAssessmentQuestionDto(question)).toEqual({
      question_id: '04-rag-q1',
      chapter_id: '04-rag',
      prompt: 'When would you choose RAG?',
      max_score: 10,
      rubric_summary: 'Names the trade-off.',
    });
  });

  it('gives an accepted submission its poll URL', () => {
    expect(toSubmissionAcceptedDto({ submission_id: '9a8b7c6d-5e4f-4321-9876-543210fedcba', status: 'pending' })).toEqual({
      submission_id: '9a8b7c6d-5e4f-4321-9876-543210fedcba',
      status: 'pending',
      poll_url: '/api/v2/assessments/feedback/9a8b7c6d-5e4f-4321-9876-543210fedcba',
    });
  });

  const submission: SubmissionFeedback = { submission_id: 's1', question_id: '04-rag-q1', status: 'pending', max_score: 10, grade: null };

  it('shows a submission not graded yet with no score, empty lists and nothing flagged', () => {
    expect(toFeedbackDto(submission)).toEqual({
      submission_id: 's1',
      question_id: '04-rag-q1',
      status: 'pending',
      score: null,
      max_score: 10,
      criteria: [],
      feedback: null,
      strengths: [],
      improvements: [],
      off_topic: false,
      injection_suspected: false,
      graded_by: null,
      graded_at: null,
      grading_mode: null,
    });
  });

  it('shows a graded submission with its grade, the time as ISO-8601 UTC', () => {
    const shown = {
      score: 3,
      criteria: [{ criterion_id: 'c1', score: 3, max_score: 4, comment: 'Names stale knowledge.' }],
      feedback: 'Solid.',
      strengths: ['current'],
      improvements: ['evaluate'],
      off_topic: false,
      injection_suspected: true,
      graded_by: 'llm' as const,
      grading_mode: 'batch' as const,
    };
    const graded = toFeedbackDto({
      ...submission,
      status: 'graded',
      grade: { ...shown, max_score: 10, graded_at: new Date(Date.UTC(2026, 10, 22, 10, 15, 3)) },
    });
    expect(graded).toEqual({
      submission_id: 's1',
      question_id: '04-rag-q1',
      status: 'graded',
      max_score: 10,
      ...shown,
      graded_at: '2026-11-22T10:15:03.000Z',
    });
  });
});
