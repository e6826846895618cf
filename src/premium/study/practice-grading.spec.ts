import { answerShapeIssues, gradePractice, practiceAnswerIssues } from './practice-grading.js';
import type { PracticeQuestion } from './study.js';

const q = (id: string, key: string): PracticeQuestion => ({
  question_id: id,
  prompt: `${id}?`,
  options: ['a', 'b', 'c', 'd'].map((k) => ({ key: k, text: `${id} ${k}` })),
  correct_answer: key,
  explanation: `Because ${id}.`,
  section: `section-${id}`,
});
const questions = [q('p1', 'b'), q('p2', 'd'), q('p3', 'a')];

describe('practice grading', () => {
  it('scores one point per correct answer, any case and spacing; unanswered is wrong', () => {
    expect(gradePractice(questions, { p1: ' B ', p2: 'a' })).toEqual({
      answers: { p1: 'b', p2: 'a' },
      score: 1,
      maxScore: 3,
      results: [
        { question_id: 'p1', correct: true, correct_answer: 'b', explanation: 'Because p1.', section: 'section-p1' },
        { question_id: 'p2', correct: false, correct_answer: 'd', explanation: 'Because p2.', section: 'section-p2' },
        { question_id: 'p3', correct: false, correct_answer: 'a', explanation: 'Because p3.', section: 'section-p3' },
      ],
    });
  });

  it('refuses no answers, unknown questions and keys that are not options', () => {
    expect(practiceAnswerIssues(questions, {})).toEqual([{ field: 'answers', issue: 'must answer at least one question' }]);
    expect(practiceAnswerIssues(questions, { p1: 'e', q1: 'a', p2: 3 })).toEqual([
      { field: 'answers.p1', issue: 'must be one of a, b, c, d' },
      { field: 'answers.q1', issue: 'is not a question of this practice quiz' },
      { field: 'answers.p2', issue: 'must be one of a, b, c, d' },
    ]);
    expect(practiceAnswerIssues(questions, { p1: 'A', p3: 'c' })).toEqual([]);
  });

  it('refuses values that cannot be option keys before any lookup', () => {
    expect(answerShapeIssues({ p1: 'a', p2: 'x'.repeat(9), p3: { $ne: 1 } })).toEqual([
      { field: 'answers.p2', issue: 'must be an option key such as a' },
      { field: 'answers.p3', issue: 'must be an option key such as a' },
    ]);
  });
});
