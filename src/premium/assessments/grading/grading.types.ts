/** Shapes shared by the graders (rules now, LLM later) and the calibration command. */

export type KeyConcept = { concept: string; synonyms: string[] };

export type RubricCriterion = {
  criterion_id: string;
  description: string;
  max_score: number;
  full_marks?: string;
  partial_marks?: string;
  key_concepts: KeyConcept[];
};

export type GradingInput = {
  question: string;
  referenceAnswer: string;
  maxScore: number;
  rubric: RubricCriterion[];
  answer: string;
  /** Further accepted answers besides `referenceAnswer`, used when there is no rubric. */
  referenceAlternatives?: readonly string[];
};

export type CriterionScore = { criterion_id: string; score: number; max_score: number; comment: string };

export type GradeResult = {
  score: number;
  max_score: number;
  criteria: CriterionScore[];
  feedback: string;
  strengths: string[];
  improvements: string[];
  off_topic: boolean;
  injection_suspected: boolean;
};
