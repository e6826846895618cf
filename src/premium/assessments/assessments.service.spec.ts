import { inCourseOrder } from './assessments.service.js';

describe('inCourseOrder', () => {
  it('sorts questions by their chapter’s place in the course, not by id, and keeps each chapter’s own order', () => {
    const questions = [
      { question_id: 'basics-q1', chapter_id: 'basics' },
      { question_id: 'agents-q2', chapter_id: 'agents' },
      { question_id: 'agents-q1', chapter_id: 'agents' },
      { question_id: 'basics-q2', chapter_id: 'basics' },
      { question_id: 'evals-q1', chapter_id: 'evals' },
    ];
    const catalog = [
      { chapter_id: 'agents', order: 3 },
      { chapter_id: 'basics', order: 1 },
      { chapter_id: 'evals', order: 2 },
    ];
    expect(inCourseOrder(questions, catalog).map((q) => q.question_id)).toEqual(['basics-q1', 'basics-q2', 'evals-q1', 'agents-q2', 'agents-q1']);
  });
});
