import { lemmaCandidates, synonyms } from './wordnet.js';

// Expected sets read off the WordNet 3.1 files by hand (index.noun/index.verb line of the word,
// then the data line at each of its first three sense offsets).
describe('synonyms', () => {
  it('collects the words of the first senses of every part of speech', () => {
    // gap n: 04760114 {gap, spread}, 09402023 {opening, gap}, 03421239 {gap, crack}; gap v: 01596535 {gap, breach}
    expect(synonyms('gap')).toEqual(new Set(['gap', 'spread', 'opening', 'crack', 'breach']));
  });

  it('reduces an inflected form to its lemma first (WordNet morphy rules)', () => {
    // batteries → battery (noun, "ies" → "y"); its senses here are all {battery}
    expect(synonyms('batteries')).toEqual(new Set(['battery']));
    expect(synonyms('Bulbs')).toEqual(new Set(['bulb', 'lightbulb']));
  });

  it('drops multi-word lemmas', () => {
    for (const w of synonyms('connected')) expect(w).not.toMatch(/_/);
    expect(synonyms('connected')).toContain('attached');
  });

  it('knows nothing of a word WordNet lacks', () => {
    expect(synonyms('xyzzy').size).toBe(0);
  });
});

describe('lemmaCandidates', () => {
  it('lists the forms a word may inflect, by the suffix rules, without lookups', () => {
    expect(lemmaCandidates('batteries', 'noun')).toEqual(['batteries', 'batterie', 'battery']);
    expect(lemmaCandidates('connected', 'verb')).toEqual(['connected', 'connecte', 'connect']);
    expect(lemmaCandidates('positive')).toEqual(['positive']);
    expect(lemmaCandidates('gaps')).toEqual(['gaps', 'gap']);
  });
});
