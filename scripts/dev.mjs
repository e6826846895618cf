// `npm run dev`: SWC rebuilds dist/ on every change to src/ or migrations/, node --watch restarts
// the server when its compiled files change, and on a terminal the JSON log lines are shown by
// pino-pretty. The server runs in a process group of its own, so Ctrl-C reaches only this script,
// which stops the server the way SIGINT does in production (requests finished, queue and database
// closed, then the embedded PostgreSQL), instead of the terminal signalling PostgreSQL directly.
import { spawn } from 'node:child_process';
import pretty from 'pino-pretty';

const swc = spawn(
  'node_modules/.bin/swc',
  ['src', 'migrations', '-d', 'dist', '--config-file', '.swcrc', '--ignore', '**/*.spec.ts', '--quiet', '--watch'],
  { stdio: 'inherit' },
);
const server = spawn(process.execPath, ['--watch', '--watch-preserve-output', '--enable-source-maps', 'dist/src/main.js'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
server.stdout.pipe(process.stdout.isTTY ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }) : process.stdout);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  swc.kill('SIGTERM');
  server.kill(signal);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
server.on('exit', (code) => {
  swc.kill('SIGTERM');
  process.exitCode = code ?? 0;
});
swc.on('exit', (code) => {
  if (!stopping) {
    process.stderr.write(`swc --watch stopped (exit ${code}); stopping the server\n`);
    stop('SIGTERM');
  }
});
