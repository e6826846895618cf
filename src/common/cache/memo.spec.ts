import { Memo } from './memo.js';

describe('Memo', () => {
  it('shares one load among concurrent callers and keeps it for the TTL', async () => {
    let now = 0;
    let loads = 0;
    const memo = new Memo(1000, () => now);
    const load = () => Promise.resolve(++loads);
    expect(await Promise.all([memo.get('k', load), memo.get('k', load)])).toEqual([1, 1]);
    now = 999;
    expect(await memo.get('k', load)).toBe(1);
    now = 1000;
    expect(await memo.get('k', load)).toBe(2);
    expect(await memo.get('other', load)).toBe(3);
  });

  it('does not keep a failed load', async () => {
    const memo = new Memo(1000, () => 0);
    await expect(memo.get('k', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await memo.get('k', () => Promise.resolve('loaded'))).toBe('loaded');
  });
});
