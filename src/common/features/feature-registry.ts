/**
 * The premium features, one entry each. Everything else (the feature types and lists, quota limits
 * and the quota DTO, default models, flag defaults and variants, OpenAPI enums, metrics labels, the
 * configuration settings) is derived from this table, so a new feature is one line here plus its
 * own folder. Pure data: configuration and every module import it, so it imports nothing.
 */

/** What each feature declares. */
export type FeatureSpec = {
  /** The monthly quota (units per calendar month, UTC): its setting and default. */
  readonly quota: { readonly env: `PREMIUM_${string}_LIMIT`; readonly default: number };
  /** The feature's own model setting (it wins over LLM_MODEL and ANTHROPIC_MODEL) and the model used when none is set. */
  readonly model: { readonly env: `LLM_MODEL_${string}`; readonly default: string };
  /**
   * The flag's default (its ENABLE_* setting; the feature_flags table overrides it at run time) and
   * the variants the feature's code knows: the first is the default variant, the others its controls.
   */
  readonly flag: { readonly env: `ENABLE_${string}`; readonly enabled: boolean; readonly variants: readonly [string, ...string[]] };
  /** `per_student`: an answer is about one student; `shared`: one answer may serve every student who asks. */
  readonly output: 'per_student' | 'shared';
};

type Registry<T> = { readonly [K in keyof T & string]: T[K] & { readonly name: K } };

function defineFeatures<const T extends Record<string, FeatureSpec>>(features: T): Registry<T> {
  return Object.freeze(Object.fromEntries(Object.entries(features).map(([name, spec]) => [name, Object.freeze({ ...spec, name })]))) as Registry<T>;
}

/**
 * Default models: planning a path reads the whole course map and the student's evidence (Sonnet);
 * grading one short answer against its rubric is a small, tightly checked task (Haiku, a twentieth
 * of Sonnet's price per token; grade-guards.ts bounds what any model may award); the tutor answers
 * from a few retrieved passages whose citations are checked (Haiku: it is the most-used feature);
 * study material is generated once per chapter version and shared by every student (Sonnet: its
 * cost is spread over all of them).
 */
export const FEATURES = defineFeatures({
  adaptive_paths: { quota: { env: 'PREMIUM_ADAPTIVE_PATHS_LIMIT', default: 10 }, model: { env: 'LLM_MODEL_ADAPTIVE_PATH', default: 'claude-sonnet-5-5' }, flag: { env: 'ENABLE_ADAPTIVE_PATHS', enabled: true, variants: ['adaptive', 'static'] }, output: 'per_student' },
  assessments: { quota: { env: 'PREMIUM_ASSESSMENTS_LIMIT', default: 20 }, model: { env: 'LLM_MODEL_ASSESSMENT', default: 'claude-haiku-5-5' }, flag: { env: 'ENABLE_LLM_ASSESSMENTS', enabled: true, variants: ['llm', 'rules'] }, output: 'per_student' },
  tutor_questions: { quota: { env: 'PREMIUM_TUTOR_LIMIT', default: 30 }, model: { env: 'LLM_MODEL_TUTOR', default: 'claude-haiku-5-5' }, flag: { env: 'ENABLE_TUTOR', enabled: true, variants: ['grounded', 'rules'] }, output: 'per_student' },
  study_tools: { quota: { env: 'PREMIUM_STUDY_LIMIT', default: 20 }, model: { env: 'LLM_MODEL_STUDY_TOOLS', default: 'claude-sonnet-5-5' }, flag: { env: 'ENABLE_STUDY_TOOLS', enabled: true, variants: ['llm', 'rules'] }, output: 'shared' },
});
