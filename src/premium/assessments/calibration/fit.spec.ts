import { crossValidate, fitAll, fitRows, weightsSource } from './fit.js';
import { FEATURE_NAMES } from '../grading/reference-features.js';

const line = (qid: string, answer: string, score: number) =>
  JSON.stringify({ qid, question: 'Why does the bulb not light?', reference: 'the switch is open', answer, score, max_score: 1 });

// x:2 and x:6 are held out (split.spec.ts checks them by hand); x:1, x:3, x:4, x:5 are development questions.
const text = [
  line('x:1', 'the switch is open', 1),
  line('x:1', 'the bulb is broken', 0),
  line('x:2', 'the switch is open', 1),
  line('x:3', 'the switch is not closed', 1),
  line('x:3', 'the switch is closed', 0),
  line('x:4', 'an open switch', 1),
  line('x:4', 'the battery is flat', 0),
  line('x:5', 'because the switch is open', 1),
  line('x:5', 'there is no battery', 0),
  line('x:6', 'the battery is flat', 0),
  JSON.stringify({
    qid: 'x:1',
    question: 'q',
    reference: 'r',
    answer: 'a',
    score: 1,
    max_score: 1,
    rubric: [{ criterion_id: 'c', description: 'd', max_score: 1, key_concepts: [{ concept: 'switch', synonyms: [] }] }],
  }),
].join('\n');

describe('fitRows', () => {
  it('reads development answers without a rubric only: never a held-out question', () => {
    const rows = fitRows(text, 'test');
    expect(rows.map((r) => r.qid)).toEqual(['x:1', 'x:1', 'x:3', 'x:3', 'x:4', 'x:4', 'x:5', 'x:5']);
    expect(rows.map((r) => r.human)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(rows[0]?.corpus).toBe('x');
  });
});

describe('crossValidate and fitAll', () => {
  const rows = fitRows(text, 'test');

  it('predicts every row out of fold, as a probability', () => {
    const p = crossValidate(rows, FEATURE_NAMES, 2, 1);
    expect(p).toHaveLength(rows.length);
    for (const x of p) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
  });

  it('weighs coverage of the reference positively and writes weights the grader can import', () => {
    const model = fitAll(rows, 1);
    expect(model.weights.coverage).toBeGreaterThan(0);
    const source = weightsSource(model, 'test');
    expect(source).toContain('export const RULES_MODEL_WEIGHTS = {');
    for (const n of FEATURE_NAMES) expect(source).toMatch(new RegExp(`\\n    ${n}: -?\\d`));
  });
});
