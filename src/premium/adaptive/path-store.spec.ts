import { cacheKey, isFresh } from './path-store.js';

describe('isFresh', () => {
  const now = Date.parse('2026-11-22T12:00:00.000Z');
  const path = { expires_at: '2026-11-23T10:00:00.000Z' };

  it('holds while no quiz was finished since the path was built and it has not expired', () => {
    expect(isFresh(path, null, null, now)).toBe(true);
    expect(isFresh(path, '2026-11-22T09:00:00.000001Z', '2026-11-22T09:00:00.000001Z', now)).toBe(true);
  });

  it('ends with a newer quiz (to the microsecond) or at expiry', () => {
    expect(isFresh(path, null, '2026-11-22T11:00:00.000000Z', now)).toBe(false);
    expect(isFresh(path, '2026-11-22T09:00:00.000001Z', '2026-11-22T09:00:00.000002Z', now)).toBe(false);
    expect(isFresh(path, null, null, Date.parse(path.expires_at))).toBe(false);
  });
});

describe('cacheKey', () => {
  it('is one key per student', () => {
    expect(cacheKey('3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f')).toBe('adaptive_path:3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f');
  });
});
