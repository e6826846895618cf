import { analyseReference, FEATURE_NAMES, referenceFeatures } from './reference-features.js';
import { analyse } from './text.js';

const features = (answer: string, references: string[], question: string) =>
  referenceFeatures({
    coverage: 0.5,
    answer: analyse(answer),
    answerText: answer,
    questionStems: new Set(analyse(question).map((t) => t.stem)),
    references: references.map(analyseReference),
  });

describe('referenceFeatures', () => {
  const question = 'Why does the bulb not light?';

  it('measures an answer against its closest reference (values worked out by hand)', () => {
    // Answer: switch, open→!close, bulb, dark. Closest reference "the switch is open": switch, !close.
    // Weights: 1 each, bulb 0.3 (a question word). Precision = (1 + 1) / (1 + 1 + 0.3 + 1).
    const f = features('The switch is open, so the bulb is dark.', ['the switch is open', 'there is a gap in the circuit'], question);
    expect(f.coverage).toBe(0.5);
    expect(f.precision).toBeCloseTo(2 / 3.3, 10);
    expect(f.clause_cover).toBe(1);
    expect(f.clause_disagreement).toBe(0);
    expect(f.length_ratio).toBeCloseTo(Math.log((4 + 1) / (2 + 1)), 10); // switch, !close, bulb, dark vs switch, !close
    expect(f.alternatives).toBeCloseTo(Math.log(2), 10);
    expect(f.shortest_reference).toBeCloseTo(Math.log1p(2), 10);
    expect(f.longest_reference).toBeCloseTo(Math.log1p(2), 10); // gap, circuit
    expect(f.question_length).toBeCloseTo(Math.log1p(2), 10); // bulb, light
    expect(Object.keys(f)).toEqual([...FEATURE_NAMES]);
  });

  it('sees a clause that keeps the words but turns the polarity', () => {
    const agrees = features('the switch is not closed', ['the switch is open'], question);
    const turns = features('the switch is closed', ['the switch is open'], question);
    expect(agrees.clause_disagreement).toBe(0);
    expect(turns.clause_disagreement).toBe(1);
    expect(turns.clause_cover).toBe(1);
  });

  it('gives an empty answer no overlap', () => {
    const f = features('', ['the switch is open'], question);
    expect([f.precision, f.clause_cover, f.clause_disagreement]).toEqual([0, 0, 0]);
    expect(f.length_ratio).toBeCloseTo(Math.log(1 / 3), 10);
  });
});
