import { analyse, clauses, normalize, plainStems, stem } from './text.js';

const view = (text: string) => analyse(text).map((t) => (t.neg ? `!${t.stem}` : t.stem));

describe('normalize', () => {
  it('lower-cases, expands contractions and strips punctuation', () => {
    expect(normalize("It isn't ON; they won't GO.")).toBe('it is not on | they will not go |');
    expect(normalize('the bulb doesnt light')).toBe('the bulb does not light');
  });

  it('keeps decimals whole', () => {
    expect(normalize('a reading of 1.5 volts.')).toBe('a reading of 1.5 volts |');
  });
});

describe('analyse', () => {
  it('drops stopwords and stems what is left', () => {
    expect(view('The embeddings are dense vectors')).toEqual(['embed', 'dens', 'vector']);
  });

  it('marks the first content word after a negator, within reach', () => {
    expect(view('the switch is not closed')).toEqual(['switch', '!close']);
    expect(view('there is no gap in the path')).toEqual(['!gap', 'path']);
    expect(view('the circuit is no longer a closed path')).toEqual(['circuit', '!close', 'path']);
  });

  it('stops negation at punctuation and at "but"', () => {
    expect(view('not really, the bulb lights')).toEqual(['bulb', 'light']);
    expect(view('no but the gap matters')).toEqual(['gap', 'matter']);
  });

  it('folds antonyms onto one stem with the polarity flipped', () => {
    expect(view('the switch is open')).toEqual(view('the switch is not closed'));
    expect(view('the switch is not open')).toEqual(view('the switch is closed'));
  });

  it('reads number words as digits', () => {
    expect(view('terminal one')).toEqual(['termin', '1']);
  });
});

describe('stem', () => {
  it('stems the adjective lemma, so comparatives meet their base', () => {
    expect(stem('higher')).toBe(stem('high'));
    expect(stem('tighter')).toBe(stem('tight'));
    expect(stem('biggest')).toBe(stem('big'));
    expect(stem('number')).toBe('number');
  });
});

describe('clauses', () => {
  const view = (text: string) => clauses(text).map((c) => `${c.negated ? '!' : ''}${[...c.stems].join('+')}`);

  it('splits at punctuation and scope breakers and keeps the parity of negators and antonyms', () => {
    expect(view('The battery is not in a closed path, but the bulb is.')).toEqual(['!batteri+close+path', 'bulb']);
    expect(view('the battery is in an open path')).toEqual(['!batteri+close+path']);
    expect(view('it is not open')).toEqual(['close']);
    expect(view('')).toEqual([]);
  });
});

describe('plainStems', () => {
  it('is a bag of stems without negation or antonym folding', () => {
    expect([...plainStems('The switch is not open')]).toEqual(['switch', 'open']);
  });

  it('uses plain Porter stems, so the baseline does not move with the grader\'s lemmas', () => {
    expect([...plainStems('higher')]).toEqual(['higher']);
  });
});
