import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError } from './config.loader.js';
import { checkDotEnv } from './dotenv.js';

describe('checkDotEnv', () => {
  it('accepts what Node reads: comments, blank lines, export, spaces, quotes, multi-line double quotes', () => {
    const text = [
      '# a comment',
      '',
      'PORT=3000',
      'export HOST=127.0.0.1',
      '  LOG_LEVEL = debug',
      'EMPTY=',
      'QUOTED="a # not a comment"',
      "SINGLE='x'",
      'TICKS=`y`',
      'MULTI="line one',
      'line two"',
      'AFTER=1 # trailing comment',
    ].join('\n');
    expect(() => checkDotEnv(text)).not.toThrow();
  });

  it.each([
    ['LOG_LEVEL debug', '.env line 2 is not NAME=value (LOG_LEVEL has no "=")'],
    ['just words here', '.env line 2 is not NAME=value (just has no "=")'],
    ['=value', '.env line 2 is not NAME=value'],
    ['9LIVES=1', '.env line 2 is not NAME=value'],
    ['JWT_SECRET_KEY="s3cret-value', '.env line 2: the value of JWT_SECRET_KEY opens a " quote that is never closed'],
    ["NAME='open", ".env line 2: the value of NAME opens a ' quote that is never closed"],
  ])('refuses %j, naming the line', (bad, message) => {
    let error: unknown;
    try {
      checkDotEnv(`PORT=3000\n${bad}\nHOST=127.0.0.1\n`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('stops the built app at boot with one line naming the bad line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cc-dotenv-'));
    try {
      await writeFile(join(dir, '.env'), 'PORT=0\nLOG_LEVEL debug\n');
      const run = spawnSync(process.execPath, [join(process.cwd(), 'dist/src/main.js')], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      // The same one line as any other configuration error (configFromEnvironment).
      expect(run.stderr).toBe('.env line 2 is not NAME=value (LOG_LEVEL has no "=")\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
