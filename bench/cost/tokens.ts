/** Token counts for the fake Messages API and the accounting: Anthropic's published tokenizer. */
import { getTokenizer } from '@anthropic-ai/tokenizer';

const tokenizer = getTokenizer();
const memo = new Map<string, number>();
/** @anthropic-ai/tokenizer's count (NFKC, all special tokens allowed), with the one encoder kept. */
export function countTokens(text: string): number {
  const hit = memo.get(text);
  if (hit !== undefined) return hit;
  const n = tokenizer.encode(text.normalize('NFKC'), 'all').length;
  if (memo.size < 200_000) memo.set(text, n);
  return n;
}
