/**
 * A one-line progress display for long commands, on stderr and only when stderr is a terminal
 * (redirected output and CI logs stay as they were). At most ten redraws a second.
 */
export type Progress = { update: (done: number) => void; done: () => void };

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = performance.now();
  let last = 0;
  const draw = (done: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    stream.write(`\r${label}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${Math.floor(share * 100)}%) ${seconds} s\x1b[K`);
  };
  return {
    update: (done) => {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done);
    },
    done: () => {
      draw(total);
      stream.write('\n');
    },
  };
}
