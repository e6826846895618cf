import { progress } from './progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: '', write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress', () => {
  it('draws one line on a terminal and ends it', () => {
    const stream = fakeStream(true);
    const p = progress('seeding', 2000, stream);
    p.update(500);
    p.done();
    expect(stream.text).toMatch(/^\rseeding: 500\/2,000 \(25%\) \d+ s\x1b\[K\rseeding: 2,000\/2,000 \(100%\) \d+ s\x1b\[K\n$/);
  });

  it('writes nothing when the output is not a terminal', () => {
    const stream = fakeStream(false);
    const p = progress('seeding', 10, stream);
    p.update(5);
    p.done();
    expect(stream.text).toBe('');
  });
});
