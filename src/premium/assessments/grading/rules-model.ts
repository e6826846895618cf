/**
 * The learned part of the rules grader for answers graded against reference answers: a logistic
 * regression over the features of reference-features.ts, fitted on the development questions of
 * the calibration data by `npm run grade:fit` (calibration/fit.ts), which writes the weights.
 */
import { FEATURE_NAMES, type Features } from './reference-features.js';
import { RULES_MODEL_WEIGHTS } from './rules-model.weights.js';

export type RulesModel = { intercept: number; weights: Features };

export const RULES_MODEL: RulesModel = RULES_MODEL_WEIGHTS;

/** The probability the model gives that an answer with these features is right. */
export function probabilityRight(features: Features, model: RulesModel = RULES_MODEL): number {
  let z = model.intercept;
  for (const name of FEATURE_NAMES) z += model.weights[name] * features[name];
  return 1 / (1 + Math.exp(-z));
}
