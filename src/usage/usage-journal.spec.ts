import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageJournal } from './usage-journal.js';

type Row = { id: number };

describe('UsageJournal', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'usage-journal-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const collect = () => {
    const written: Row[] = [];
    const write = (rows: Row[]) => {
      written.push(...rows);
      return Promise.resolve({ rejected: [] as Row[] });
    };
    return { written, write };
  };

  it('replays what was appended, once, and leaves no file behind', async () => {
    const journal = new UsageJournal<Row>(dir, 'scope1');
    await journal.append([{ id: 1 }]);
    await journal.append([{ id: 2 }, { id: 3 }]);
    const sink = collect();
    expect(await journal.replay(sink.write)).toEqual({ written: 3, rejected: [] });
    expect(sink.written).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(readdirSync(dir)).toEqual([]);
    expect(await journal.replay(sink.write)).toEqual({ written: 0, rejected: [] });
  });

  it('keeps the rows when the write fails, for the next try', async () => {
    const journal = new UsageJournal<Row>(dir, 'scope1');
    await journal.append([{ id: 1 }]);
    await expect(journal.replay(() => Promise.reject(new Error('Connection terminated')))).rejects.toThrow('Connection terminated');
    const sink = collect();
    await journal.replay(sink.write);
    expect(sink.written).toEqual([{ id: 1 }]);
  });

  it('takes over the file of a process that is gone, skipping a line torn by its crash', async () => {
    // pid 2^22 + 1 is above Linux's pid_max: no such process.
    writeFileSync(join(dir, 'usage.scope1.4194305.deadbeef.0.jsonl'), '{"id":7}\n{"id":8}\n{"id":');
    const sink = collect();
    expect(await new UsageJournal<Row>(dir, 'scope1').replay(sink.write)).toEqual({ written: 2, rejected: [] });
    expect(sink.written).toEqual([{ id: 7 }, { id: 8 }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves alone the file of a live process, and the rows of another database', async () => {
    const live = `usage.scope1.${process.ppid}.cafebabe.0.jsonl`;
    const other = 'usage.scope2.4194305.deadbeef.0.jsonl';
    writeFileSync(join(dir, live), '{"id":1}\n');
    writeFileSync(join(dir, other), '{"id":2}\n');
    const sink = collect();
    await new UsageJournal<Row>(dir, 'scope1').replay(sink.write);
    expect(sink.written).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([live, other].sort());
  });
});
