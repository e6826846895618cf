import type { Scored } from '../../src/premium/assessments/calibration/calibrate.js';

/**
 * A scored answer to question `qid` of corpus x, for the calibration specs: x:2 and x:6 are the
 * held-out questions (see split.spec.ts), x:1 and x:3 development ones.
 */
export const scoredRow = (qid: string, human: number, predicted: number, baseline: number): Scored => ({
  qid,
  corpus: 'x',
  heldout: qid === 'x:2' || qid === 'x:6',
  human,
  predicted,
  baseline,
});
