import { createHash } from 'node:crypto';
import { defaultVariant, type PremiumFeature } from '../common/features/index.js';

export type Variant = { name: string; weight: number };
export type FlagState = { feature: PremiumFeature; enabled: boolean; rollout_percentage: number; variants: Variant[] };
export type FlagDecision = { enabled: boolean; variant: string; bucket: number };

/** 0-99, from a hash of feature and student: the same on every instance and after restarts. */
export function bucketOf(feature: string, studentId: string, salt = ''): number {
  return createHash('sha256').update(`${feature}:${salt}:${studentId}`).digest().readUInt32BE(0) % 100;
}

/** Whether the feature is on for this student, and which variant they get. */
export function decide(flag: FlagState, studentId: string): FlagDecision {
  const bucket = bucketOf(flag.feature, studentId);
  const enabled = flag.enabled && bucket < flag.rollout_percentage;
  const variants = flag.variants.filter((v) => v.weight > 0);
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (total === 0) return { enabled, variant: defaultVariant(flag.feature), bucket };
  // A second, independent hash: rollout and variant assignment must not correlate.
  let point = bucketOf(flag.feature, studentId, 'variant') * total / 100;
  for (const v of variants) {
    if (point < v.weight) return { enabled, variant: v.name, bucket };
    point -= v.weight;
  }
  return { enabled, variant: variants.at(-1)!.name, bucket };
}
