// Written by `npm run grade:fit` (6498 development answers, l2 1); regenerate rather than edit.
export const RULES_MODEL_WEIGHTS = {
  intercept: -2.265224,
  weights: {
    coverage: 2.802297,
    precision: 1.774269,
    clause_cover: 0.057786,
    clause_disagreement: -1.352154,
    length_ratio: 0.778617,
    alternatives: -0.670824,
    shortest_reference: -0.40707,
    longest_reference: 0.249155,
    question_length: 0.448654,
  },
};
