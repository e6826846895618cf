import { foldText } from '../content/course-text.js';

export type GlossaryEntry = {
  term: string;
  definition: string;
  chapter_id: string;
  aliases: string[];
  related: string[];
};

/** How lookups compare names: no case, no accents, hyphens and runs of spaces alike. */
export function glossaryKey(text: string): string {
  return foldText(text).replace(/[\s-]+/g, ' ').trim();
}

/** Match quality, best first: the whole name, a prefix of it, a prefix of a later word, every word anywhere. */
enum Match {
  Exact,
  Prefix,
  WordPrefix,
  AllWords,
}

type Indexed = { entry: GlossaryEntry; sortKey: string; names: { key: string; words: string[] }[] };

/** The glossary in memory, answering lookups by name, prefix and word. */
export class GlossaryIndex {
  private readonly entries: Indexed[];
  private readonly byName = new Map<string, GlossaryEntry>();

  constructor(entries: GlossaryEntry[]) {
    this.entries = entries
      .map((entry) => ({
        entry,
        sortKey: glossaryKey(entry.term),
        names: [entry.term, ...entry.aliases].map((name) => ({ key: glossaryKey(name), words: glossaryKey(name).split(' ') })),
      }))
      .sort((a, b) => a.sortKey.localeCompare(b.sortKey, 'en'));
    for (const indexed of this.entries) for (const name of indexed.names) this.byName.set(name.key, indexed.entry);
  }

  all(): GlossaryEntry[] {
    return this.entries.map((e) => e.entry);
  }

  /** The entry a term or one of its aliases names, compared as glossaryKey does. */
  find(name: string): GlossaryEntry | undefined {
    return this.byName.get(glossaryKey(name));
  }

  /** Terms whose name or alias matches `query`, best match first, then alphabetically; all terms for a blank query. */
  search(query: string): GlossaryEntry[] {
    const q = glossaryKey(query);
    if (q === '') return this.all();
    const words = q.split(' ');
    return this.entries
      .map((indexed) => ({ indexed, match: Math.min(...indexed.names.map((name) => matchName(name, q, words))) }))
      .filter((m) => m.match !== Infinity)
      .sort((a, b) => a.match - b.match)
      .map((m) => m.indexed.entry);
  }
}

function matchName(name: { key: string; words: string[] }, q: string, words: string[]): number {
  if (name.key === q) return Match.Exact;
  if (name.key.startsWith(q)) return Match.Prefix;
  if (` ${name.key}`.includes(` ${q}`)) return Match.WordPrefix;
  if (words.length > 1 && words.every((w) => name.words.some((n) => n.startsWith(w)))) return Match.AllWords;
  return Infinity;
}
