/**
 * Text analysis shared by the rules grader and rubric derivation: normalise, tokenize, drop
 * stopwords, stem, and mark which content words sit under a negation.
 */
import { stemmer } from 'stemmer';
import lemmatizer from 'wink-lemmatizer';
import { Memo } from '../../../common/cache/index.js';

/** A content word of a text: its stem, whether it is negated, and its index among content words. */
export type Token = {
  stem: string;
  /** Polarity after negators and antonym folding: "not open" and "closed" are both `close`, false. */
  neg: boolean;
  /** Whether a negator ("not", "no", ...) governs the word, whatever the word itself means. */
  negated: boolean;
  pos: number;
  word: string;
};

/**
 * Small English stopword list. Negators are absent on purpose (they are handled as negation),
 * and so are words that carry meaning in short science answers ("same", "more", "less", "off").
 */
const STOPWORDS = new Set(
  (
    'a an the and or but if then than that this these those there here it its itself they them their theirs ' +
    'he him his she her hers we us our ours you your yours i me my mine ones who whom whose which what ' +
    'when where why how is am are was were be been being do does did doing done have has had having ' +
    'will would shall should can could may might must of to in on at by for with from into onto about as ' +
    'so such too very just also only even any some each every all both either other another own ' +
    'because since while whereas although though however therefore thus hence until unless ' +
    'up out over under again further once s t d ll m re ve get gets got getting make makes made ' +
    'thing things something anything lot lots really well like way ways etc'
  ).split(/\s+/),
);

/** Words that negate what follows them within a few words. */
const NEGATORS = new Set(['not', 'no', 'never', 'without', 'none', 'nothing', 'neither', 'nor', 'cannot', 'nobody', 'nowhere', 'non']);

/** Words that end a negation's scope, like punctuation does. */
const SCOPE_BREAKERS = new Set(['but', 'because', 'since', 'so', 'although', 'though', 'however', 'whereas', 'while', 'unless', 'instead', 'rather']);

/** How many words after a negator may still fall under it (the first content word in reach is negated). */
const NEGATION_REACH = 3;

/**
 * Antonyms folded onto one stem with the polarity flipped, so "open" reads as "not closed" and a
 * contradiction worded with an antonym is caught like one worded with "not".
 */
const ANTONYM_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['closed', 'open'],
  ['close', 'opened'],
  ['connected', 'disconnected'],
  ['connect', 'unconnected'],
  ['complete', 'incomplete'],
  ['same', 'different'],
  ['same', 'differently'],
  ['increase', 'decrease'],
  ['increases', 'decreases'],
  ['more', 'less'],
  ['more', 'fewer'],
  ['high', 'low'],
  ['higher', 'lower'],
  ['highest', 'lowest'],
  ['large', 'small'],
  ['larger', 'smaller'],
  ['big', 'little'],
  ['bigger', 'smaller'],
  ['long', 'short'],
  ['longer', 'shorter'],
  ['fast', 'slow'],
  ['faster', 'slower'],
  ['hot', 'cold'],
  ['hotter', 'colder'],
  ['warm', 'cool'],
  ['warmer', 'cooler'],
  ['positive', 'negative'],
  ['true', 'false'],
  ['correct', 'incorrect'],
  ['correct', 'wrong'],
  ['equal', 'unequal'],
  ['conductor', 'insulator'],
  ['conductors', 'insulators'],
  ['attract', 'repel'],
  ['attracts', 'repels'],
  ['inside', 'outside'],
  ['gain', 'lose'],
  ['gains', 'loses'],
  ['able', 'unable'],
  ['possible', 'impossible'],
  ['visible', 'invisible'],
];

const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\bshan't\b/g, 'shall not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  // The same contractions typed without an apostrophe, as students often do.
  [/\b(is|are|was|were|do|does|did|has|have|had|could|would|should|must|need)nt\b/g, '$1 not'],
  [/\bcant\b/g, 'can not'],
  [/\bdont\b/g, 'do not'],
  [/\bany ?more\b/g, ''],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
  [/\b(it|that|there|what|he|she|here|who|where)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

/** Number words read as digits, so "terminal one" matches "terminal 1". */
const NUMBER_WORDS = new Map(
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].map((w, i) => [w, String(i)]),
);

/** Marks a clause boundary in the word stream; negation does not cross it. */
const BOUNDARY = '|';

// Stemming dominates the cost of analysis, and answers reuse a small vocabulary.
const stems = new Memo<string>({ max: 50_000 });

/** Porter stem of the word's adjective lemma, so "higher" meets "high" and "tighter" meets "tight". */
export function stem(word: string): string {
  return stems.get(word, () => stemmer(lemmatizer.adjective(word)));
}

/** Antonym stem → the stem it is folded onto. Built from stems so inflections fold too. */
const ANTONYMS = new Map<string, string>();
for (const [base, opposite] of ANTONYM_PAIRS) {
  const b = stem(base);
  const o = stem(opposite);
  if (b !== o && !ANTONYMS.has(o)) ANTONYMS.set(o, b);
}

/** Lower-case, expand contractions, turn clause punctuation into boundaries, drop other punctuation. */
export function normalize(text: string): string {
  let t = text.toLowerCase().replace(/[\u2018\u2019\u02bc`]/g, "'");
  for (const [pattern, replacement] of CONTRACTIONS) t = t.replace(pattern, replacement);
  return t
    .replace(/(\d)\.(\d)/g, '$1_$2') // keep decimals like 1.5 whole through the boundary pass
    .replace(/[.,;:!?()[\]{}\n\r"]+/g, ` ${BOUNDARY} `)
    .replace(/[^a-z0-9_|]+/g, ' ')
    .replace(/_/g, '.')
    .trim();
}

/** Raw words, boundaries included. */
function words(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(/\s+/) : [];
}

/** Content words of a text, stemmed, antonyms folded, each marked negated or not. */
export function analyse(text: string): Token[] {
  const tokens: Token[] = [];
  // Words left in which a pending negation may still land; 0 means none pending.
  let negationReach = 0;
  let previous = '';
  for (const word of words(text)) {
    const before = previous;
    previous = word;
    if (word === BOUNDARY || SCOPE_BREAKERS.has(word)) {
      negationReach = 0;
      continue;
    }
    if (NEGATORS.has(word)) {
      negationReach = NEGATION_REACH;
      continue;
    }
    // "no longer" is one negator: the negation belongs to what follows "longer".
    if (word === 'longer' && before === 'no') continue;
    if (STOPWORDS.has(word)) {
      if (negationReach > 0) negationReach--;
      continue;
    }
    const negated = negationReach > 0;
    negationReach = 0;
    let s = NUMBER_WORDS.get(word) ?? stem(word);
    let neg = negated;
    const folded = ANTONYMS.get(s);
    if (folded !== undefined) {
      s = folded;
      neg = !neg;
    }
    tokens.push({ stem: s, neg, negated, pos: tokens.length, word });
  }
  return tokens;
}

/**
 * Plain content-word stems (Porter stems, no lemmas, negation or antonym folding): what a
 * bag-of-words overlap baseline sees.
 */
export function plainStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (w === BOUNDARY || STOPWORDS.has(w) || NEGATORS.has(w) || SCOPE_BREAKERS.has(w)) continue;
    out.add(stemmer(w));
  }
  return out;
}

/** A clause of a text: its content stems (antonyms folded) and whether it is negated an odd number of times. */
export type Clause = { stems: Set<string>; negated: boolean };

/**
 * The text's clauses (split at punctuation and at words like "but" and "because"), each with the
 * parity of its negators and folded antonyms: "the battery is not in a closed path" and "the
 * battery is in an open path" are both negated once, so they agree wherever the negation lands.
 */
export function clauses(text: string): Clause[] {
  const out: Clause[] = [];
  let stems = new Set<string>();
  let negated = false;
  let previous = '';
  const flush = () => {
    if (stems.size > 0) out.push({ stems, negated });
    stems = new Set();
    negated = false;
  };
  for (const word of words(text)) {
    const before = previous;
    previous = word;
    if (word === BOUNDARY || SCOPE_BREAKERS.has(word)) flush();
    else if (NEGATORS.has(word)) negated = !negated;
    else if (!(word === 'longer' && before === 'no') && !STOPWORDS.has(word)) {
      const s = NUMBER_WORDS.get(word) ?? stem(word);
      const folded = ANTONYMS.get(s);
      if (folded !== undefined) negated = !negated;
      stems.add(folded ?? s);
    }
  }
  flush();
  return out;
}
