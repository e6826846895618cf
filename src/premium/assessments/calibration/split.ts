/**
 * The fixed question split of a calibration file: about a quarter of the questions are held out
 * for the final evaluation and never used to develop or fit the grader; the rest is development
 * data. Membership depends on the question id alone, so it is the same on every run and machine
 * and does not change when answers are added or reordered.
 */

/** FNV-1a (32 bit): a stable hash of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Salt so the held-out questions are unrelated to the 2-fold cross-validation order (also FNV-1a). */
const HELD_OUT_SALT = 'heldout:';
/** One question in HELD_OUT_MODULUS is held out. */
const HELD_OUT_MODULUS = 4;

export type Split = 'all' | 'dev' | 'heldout';
export const SPLITS: readonly Split[] = ['all', 'dev', 'heldout'];

/** Whether a question belongs to the held-out part: FNV-1a("heldout:" + qid) mod 4 = 0. */
export function isHeldOut(qid: string): boolean {
  return fnv1a(HELD_OUT_SALT + qid) % HELD_OUT_MODULUS === 0;
}
