/** Text helpers for study material: plain sentences out of course Markdown, comparable prompts. */

/** Lower case, no accents, punctuation as spaces: how prompts and options are compared. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The first `n` sentences of a section's prose: code blocks, lists, tables and headings skipped,
 * Markdown emphasis and links reduced to their text.
 */
export function openingSentences(markdown: string, n: number): string {
  const prose: string[] = [];
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence || /^\s*([-+*]|\d+\.|#|\||>)\s?/.test(line)) {
      if (prose.length > 0 && prose.at(-1) !== '') prose.push('');
      continue;
    }
    prose.push(line.trim());
  }
  const paragraphs = prose.join('\n').split(/\n\s*\n/).map((p) => plain(p)).filter((p) => p.length > 0);
  const sentences = paragraphs.flatMap((p) => p.split(/(?<=[.!?])\s+(?=[A-Z"'(])/));
  return sentences.slice(0, n).join(' ');
}

function plain(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A 32-bit seed from text (the first four bytes of its SHA-256 would do as well; this needs no import). */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A seeded Fisher–Yates shuffle (a new array). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
