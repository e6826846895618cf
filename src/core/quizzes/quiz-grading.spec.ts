import type { QuizQuestion } from './quiz-question.entity.js';
import { gradeQuiz, validateAnswers } from './quiz-grading.js';

const options = ['a', 'b', 'c', 'd'].map((key) => ({ key, text: `option ${key}` }));
const question = (n: number, correct: string): QuizQuestion =>
  Object.assign(new Object() as QuizQuestion, {
    quizId: 'x-quiz',
    questionId: `q${n}`,
    position: n,
    prompt: `Question ${n}?`,
    options,
    correctAnswer: correct,
    explanation: `Because ${correct}.`,
  });
const quiz = [question(1, 'a'), question(2, 'b'), question(3, 'c')];

describe('validateAnswers', () => {
  it('accepts known questions with option keys, in any case and with spaces', () => {
    expect(validateAnswers(quiz, { q1: 'A', q3: ' c ' })).toEqual([]);
  });

  it('names every unknown question and every impossible answer', () => {
    expect(validateAnswers(quiz, { q1: 'z', q9: 'a', q2: 3 })).toEqual([
      { field: 'answers.q1', issue: 'must be one of a, b, c, d' },
      { field: 'answers.q9', issue: 'is not a question of this quiz' },
      { field: 'answers.q2', issue: 'must be one of a, b, c, d' },
    ]);
  });

  it('refuses an empty submission', () => {
    expect(validateAnswers(quiz, {})).toEqual([{ field: 'answers', issue: 'must answer at least one question' }]);
  });
});

describe('gradeQuiz', () => {
  it('scores each question against its key and counts unanswered ones as wrong', () => {
    const grade = gradeQuiz(quiz, { q1: 'a', q2: 'c' }, 60);
    expect(grade.score).toBe(1);
    expect(grade.maxScore).toBe(3);
    expect(grade.percentage).toBe(33.33);
    expect(grade.passed).toBe(false);
    expect(grade.results).toEqual([
      { question_id: 'q1', your_answer: 'a', correct: true, correct_answer: 'a', explanation: 'Because a.' },
      { question_id: 'q2', your_answer: 'c', correct: false, correct_answer: 'b', explanation: 'Because b.' },
      { question_id: 'q3', your_answer: null, correct: false, correct_answer: 'c', explanation: 'Because c.' },
    ]);
  });

  it('passes at exactly the pass percentage', () => {
    const five = [1, 2, 3, 4, 5].map((n) => question(n, 'a'));
    const grade = gradeQuiz(five, { q1: 'a', q2: 'a', q3: 'a', q4: 'b', q5: 'b' }, 60);
    expect(grade.percentage).toBe(60);
    expect(grade.passed).toBe(true);
    expect(gradeQuiz(five, { q1: 'a', q2: 'a', q3: 'b' }, 60).passed).toBe(false);
  });

  it('stores normalised answers', () => {
    expect(gradeQuiz(quiz, { q1: ' A ' }, 60).answers).toEqual({ q1: 'a' });
  });
});
