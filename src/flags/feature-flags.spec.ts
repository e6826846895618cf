import { bucketOf, decide, type FlagState } from './feature-flags.js';

const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const flag = (over: Partial<FlagState> = {}): FlagState => ({
  feature: 'adaptive_paths',
  enabled: true,
  rollout_percentage: 100,
  variants: [{ name: 'adaptive', weight: 100 }],
  ...over,
});

describe('feature flag decisions', () => {
  it('buckets a student the same way every time', () => {
    expect(bucketOf('adaptive_paths', ids[7]!)).toBe(bucketOf('adaptive_paths', ids[7]!));
    expect(ids.every((id) => bucketOf('x', id) >= 0 && bucketOf('x', id) < 100)).toBe(true);
  });

  it('enables about the rollout share of students, and none when disabled', () => {
    const on = ids.filter((id) => decide(flag({ rollout_percentage: 25 }), id).enabled).length;
    expect(on / ids.length).toBeGreaterThan(0.2);
    expect(on / ids.length).toBeLessThan(0.3);
    expect(ids.some((id) => decide(flag({ enabled: false }), id).enabled)).toBe(false);
    expect(ids.every((id) => decide(flag(), id).enabled)).toBe(true);
  });

  it('splits variants by weight, independently of the rollout bucket', () => {
    const split = flag({ variants: [{ name: 'adaptive', weight: 50 }, { name: 'static', weight: 50 }] });
    const statics = ids.filter((id) => decide(split, id).variant === 'static');
    expect(statics.length / ids.length).toBeGreaterThan(0.45);
    expect(statics.length / ids.length).toBeLessThan(0.55);
    const lowBucket = ids.filter((id) => bucketOf('adaptive_paths', id) < 50);
    const lowStatic = lowBucket.filter((id) => decide(split, id).variant === 'static').length / lowBucket.length;
    expect(lowStatic).toBeGreaterThan(0.4);
    expect(lowStatic).toBeLessThan(0.6);
  });

  it('falls back to the default variant when none has weight', () => {
    expect(decide(flag({ variants: [] }), ids[0]!).variant).toBe('adaptive');
  });
});
