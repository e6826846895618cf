import { fnv1a, isHeldOut } from './split.js';

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('isHeldOut', () => {
  it('holds out the questions whose FNV-1a("heldout:" + qid) is divisible by 4 (values checked by hand)', () => {
    const qids = ['beetle:Q1', 'sciEntsBank:EM-21b', 'x:1', 'x:2', 'x:3', 'x:4', 'x:5', 'x:6', 'x:7', 'x:8'];
    expect(qids.filter(isHeldOut)).toEqual(['x:2', 'x:6']);
  });

  it('holds out about a quarter of many questions, and always the same ones', () => {
    const qids = Array.from({ length: 2000 }, (_, i) => `corpus:question-${i}`);
    const held = qids.filter(isHeldOut);
    expect(held.length).toBeGreaterThan(400);
    expect(held.length).toBeLessThan(600);
    expect(qids.filter(isHeldOut)).toEqual(held);
  });
});
