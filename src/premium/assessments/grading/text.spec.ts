import { analyse, normalize, plainStems } from './text.js';

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

describe('plainStems', () => {
  it('is a bag of stems without negation or antonym folding', () => {
    expect([...plainStems('The switch is not open')]).toEqual(['switch', 'open']);
  });
});
