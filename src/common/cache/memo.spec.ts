import { Memo } from './memo.js';

describe('Memo', () => {
  it('shares one load among concurrent callers and keeps it for the TTL', async () => {
    let now = 10_000;
    let loads = 0;
    const memo = new Memo<Promise<number>>({ max: 10, ttlMs: 1000, now: () => now });
    const load = () => Promise.resolve(++loads);
    expect(await Promise.all([memo.get('k', load), memo.get('k', load)])).toEqual([1, 1]);
    now = 11_000;
    expect(await memo.get('k', load)).toBe(1);
    now = 11_001;
    expect(await memo.get('k', load)).toBe(2);
    expect(await memo.get('other', load)).toBe(3);
    expect(loads).toBe(3);
  });

  it('does not keep a failed load, sync or async', async () => {
    const memo = new Memo<Promise<string> | string>({ max: 10 });
    await expect(memo.get('k', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await memo.get('k', () => Promise.resolve('loaded'))).toBe('loaded');
    expect(() =>
      memo.get('s', () => {
        throw new Error('bad input');
      }),
    ).toThrow('bad input');
    expect(memo.get('s', () => 'computed')).toBe('computed');
  });

  it('drops the least recently used entry past max', () => {
    const memo = new Memo<string>({ max: 2 });
    let loads = 0;
    const load = (v: string) => () => (loads++, v);
    memo.get('a', load('A'));
    memo.get('b', load('B'));
    memo.get('a', load('A again')); // a is now the most recent
    memo.get('c', load('C')); // b goes
    expect(loads).toBe(3);
    expect(memo.peek('a')).toBe('A');
    expect(memo.peek('b')).toBeUndefined();
    expect(memo.peek('c')).toBe('C');
  });

  it('keeps a value set with its own TTL for that long, and none with a TTL of zero', () => {
    let now = 10_000;
    const memo = new Memo<string>({ max: 10, now: () => now });
    memo.set('short', 'x', 500);
    memo.set('forever', 'y');
    memo.set('gone', 'z', 0);
    now = 10_500;
    expect(memo.peek('short')).toBe('x');
    now = 10_501;
    expect(memo.peek('short')).toBeUndefined();
    expect(memo.peek('forever')).toBe('y');
    expect(memo.peek('gone')).toBeUndefined();
  });
});
