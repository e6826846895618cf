import { GroupCommit } from './group-commit.js';

/** A writer whose batches the test finishes by hand, recording what each batch held. */
function manualWriter() {
  const batches: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((i) => `saved ${i}`))) });
    });
  return { batches, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes the first item at once, and those arriving meanwhile together in the next batch', async () => {
    const { batches, write } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => true });
    const first = group.add(1);
    const rest = [group.add(2), group.add(3), group.add(4)];
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0]!.finish();
    expect(await first).toBe('saved 1');
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.finish();
    expect(await Promise.all(rest)).toEqual(['saved 2', 'saved 3', 'saved 4']);
  });

  it('answers nobody before the batch holding them is written', async () => {
    const { batches, write } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => true });
    let answered = false;
    void group.add(1).then(() => (answered = true));
    await tick();
    expect(answered).toBe(false);
    batches[0]!.finish();
    await tick();
    expect(answered).toBe(true);
  });

  it('keeps batches within maxBatch and writers within maxInFlight', async () => {
    const { batches, write } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 2, maxInFlight: 2, retryAlone: () => true });
    const all = [1, 2, 3, 4, 5, 6].map((i) => group.add(i));
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
    batches[0]!.finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4]]);
    batches[1]!.finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2], [3, 4], [5, 6]]);
    batches[2]!.finish();
    batches[3]!.finish();
    expect(await Promise.all(all)).toHaveLength(6);
  });

  it('fails the whole batch at once on an error every item would meet', async () => {
    const { batches, write } = manualWriter();
    const group = new GroupCommit(write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => false });
    const first = group.add(1);
    const rest = [group.add(2), group.add(3)];
    batches[0]!.finish();
    await first;
    await tick();
    batches[1]!.finish(new Error('database unreachable'));
    await expect(Promise.all(rest.map((p) => p.catch((e: Error) => e.message)))).resolves.toEqual(['database unreachable', 'database unreachable']);
    expect(batches).toHaveLength(2);
  });

  it('writes a failed batch again item by item, so only the bad item fails', async () => {
    const write = (items: number[]) =>
      items.includes(3) ? Promise.reject(new Error('violates a constraint')) : Promise.resolve(items.map((i) => `saved ${i}`));
    const group = new GroupCommit(write, { maxBatch: 10, maxInFlight: 1, retryAlone: () => true });
    const results = await Promise.all([1, 2, 3, 4].map((i) => group.add(i).catch((e: Error) => e.message)));
    expect(results).toEqual(['saved 1', 'saved 2', 'violates a constraint', 'saved 4']);
  });
});
