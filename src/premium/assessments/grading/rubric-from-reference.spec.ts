import { gradeWithRules } from './rules-grader.js';
import { rubricFromReference, splitAlternatives } from './rubric-from-reference.js';

const question = 'Why does the bulb not light when the switch is open?';

describe('rubricFromReference', () => {
  it('makes one criterion whose key concepts are the content words of the reference', () => {
    const rubric = rubricFromReference('The open switch creates a gap in the circuit.', 10);
    expect(rubric).toHaveLength(1);
    expect(rubric[0]?.max_score).toBe(10);
    expect(rubric[0]?.key_concepts.map((k) => k.concept)).toEqual(['open', 'switch', 'creates', 'gap', 'circuit']);
  });

  it('keeps negation as part of a concept', () => {
    const concepts = rubricFromReference('The terminals are not connected.', 4)[0]?.key_concepts.map((k) => k.concept);
    expect(concepts).toEqual(['terminals', 'not connected']);
  });

  it('turns alternative answers into synonyms of the concepts they replace', () => {
    const rubric = rubricFromReference('The terminals are separated by a gap.', 4, ['The terminals are not connected.']);
    const byConcept = Object.fromEntries(rubric[0]?.key_concepts.map((k) => [k.concept, k.synonyms]) ?? []);
    expect(byConcept).toEqual({ terminals: [], separated: ['not connected'], gap: ['not connected'] });
  });

  it('gives full marks to an answer that matches any one reference in full', () => {
    const rubric = rubricFromReference('The open switch creates a gap in the circuit OR there is no closed path', 10, [
      'The bulb is not in a closed path.',
    ]);
    const grade = (answer: string) =>
      gradeWithRules({ question, referenceAnswer: 'The open switch creates a gap in the circuit.', maxScore: 10, rubric, answer }).score;
    expect(grade('An open switch makes a gap in the circuit, so the switch creates a gap.')).toBe(10);
    expect(grade('Because there is no closed path.')).toBe(10);
    expect(grade('The bulb is not in a closed path.')).toBe(10);
    expect(grade('The bulb is in a closed path.')).toBeLessThan(5);
  });

  it('splits " OR " alternatives and drops duplicates', () => {
    expect(splitAlternatives('a gap OR no closed path', ['A gap.', 'the path is not closed'])).toEqual([
      'a gap',
      'no closed path',
      'the path is not closed',
    ]);
  });

  it('is deterministic', () => {
    const make = () => rubricFromReference('Plants use light energy to make food.', 5, ['Photosynthesis turns light into food.']);
    expect(make()).toEqual(make());
  });
});
