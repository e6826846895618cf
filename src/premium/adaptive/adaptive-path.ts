import type { Recommendation } from './path-rules.js';

/** A path lives this long (in the cache and by its `expires_at`), unless a quiz makes it stale first. */
export const PATH_TTL_SECONDS = 24 * 3600;

/** Who made a path: the model refining the rules' draft, or the rules alone. */
export type PathSource = 'llm' | 'rules';

/** A student's learning path as built and kept. Its reasoning is always kept; an answer shows it on request. */
export type LearningPath = {
  path_id: string;
  student_id: string;
  recommendations: Recommendation[];
  reasoning: string;
  variant: string;
  generated_at: string;
  expires_at: string;
};

/** A path just built, by whom, and whether the rules answered because the model failed. */
export type BuiltPath = { path: LearningPath; source: PathSource; fellBack: boolean };

/** What a request is served: a path built for it, or the student's current one from the cache. */
export type ServedPath = BuiltPath | { path: LearningPath; source: 'cache'; fellBack: false };
