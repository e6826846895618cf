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
    // Each redraw returns to the line start and clears what is left of the line (ESC [K).
    const lines = stream.text.replaceAll('\u001b[K', '|').split('\r');
    expect(lines.slice(1).map((l) => l.replace(/\d+ s/, 'N s'))).toEqual(['seeding: 500/2,000 (25%) N s|', 'seeding: 2,000/2,000 (100%) N s|\n']);
  });

  it('writes nothing when the output is not a terminal', () => {
    const stream = fakeStream(false);
    const p = progress('seeding', 10, stream);
    p.update(5);
    p.done();
    expect(stream.text).toBe('');
  });
});
