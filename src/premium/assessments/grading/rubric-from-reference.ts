/**
 * Derives a one-criterion rubric from a reference answer when a question has none: each distinct
 * content word of the reference is a key concept, and alternative reference answers become synonyms
 * of the concepts they replace, so an answer that matches any one reference in full gets full marks.
 */
import type { KeyConcept, RubricCriterion } from './grading.types.js';
import { analyse, type Token } from './text.js';

/** Upper-case " OR " joins alternative answers inside one reference string. */
const ALTERNATIVE_SEPARATOR = /\s+OR\s+/;

/** A token keyed by stem and polarity: "connected" and "not connected" are different ideas. */
function key(t: Token): string {
  return t.neg ? `!${t.stem}` : t.stem;
}

/** Writes a token back as text that analyses to the same stem and polarity. */
function render(t: Token): string {
  return t.negated ? `not ${t.word}` : t.word;
}

function distinct(tokens: Token[]): Token[] {
  const seen = new Set<string>();
  return tokens.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The reference's " OR " parts followed by the alternatives, without blanks or duplicates (same concepts). */
export function splitAlternatives(reference: string, alternatives: readonly string[] = []): string[] {
  const all = [...reference.split(ALTERNATIVE_SEPARATOR), ...alternatives].map((s) => s.trim()).filter(Boolean);
  const seen = new Set<string>();
  return all.filter((s) => {
    const k = analyse(s).map(key).join(' ');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The first alternative gives the concepts; the others add synonyms (see the file comment). */
export function rubricFromReference(reference: string, maxScore: number, alternatives: readonly string[] = []): RubricCriterion[] {
  const [primary = '', ...others] = splitAlternatives(reference, alternatives);
  const concepts = distinct(analyse(primary));
  const synonyms = new Map<string, string[]>(concepts.map((c) => [key(c), []]));

  for (const alternative of others) {
    const tokens = distinct(analyse(alternative));
    if (tokens.length === 0) continue;
    const altKeys = new Set(tokens.map(key));
    const primaryKeys = new Set(concepts.map(key));
    const replaced = concepts.filter((c) => !altKeys.has(key(c)));
    if (replaced.length === 0) continue; // the alternative repeats the primary's concepts and adds more
    // What the alternative says instead of the replaced concepts; the whole alternative when it only
    // drops some. Its negated words stay even when shared: in "there is no closed path" the negation
    // is the point, and an answer saying "closed path" must not earn the alternative's credit.
    const added = tokens.filter((t) => !primaryKeys.has(key(t)));
    const phrase = (added.length > 0 ? tokens.filter((t) => t.neg || !primaryKeys.has(key(t))) : tokens).map(render).join(' ');
    for (const c of replaced) {
      const list = synonyms.get(key(c));
      if (list && !list.includes(phrase)) list.push(phrase);
    }
  }

  const keyConcepts: KeyConcept[] = concepts.map((c) => ({ concept: render(c), synonyms: synonyms.get(key(c)) ?? [] }));
  return [
    {
      criterion_id: 'reference',
      description: 'Covers the key ideas of the reference answer',
      max_score: maxScore,
      full_marks: 'States every key idea of the reference answer (or of an accepted alternative).',
      partial_marks: 'States some of the key ideas.',
      key_concepts: keyConcepts,
    },
  ];
}
