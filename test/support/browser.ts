/**
 * The Chromium the browser tests drive. In order: CHROME_PATH; an installed Chromium or Chrome
 * (Debian's, Google Chrome's usual paths, Playwright's browser cache); else, on Linux x64, the
 * headless Chromium that the `@sparticuz/chromium` dev dependency ships inside its npm package,
 * unpacked once into a cache folder. Nothing is downloaded.
 *
 * TEST_BROWSER_SKIP_INSTALLED=1 skips the installed browsers (not CHROME_PATH): how the suite is
 * run as on a machine without one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export type ChromiumFound = { executablePath: string; source: string; env?: Record<string, string> };

const HOW_TO = 'set CHROME_PATH to a Chromium or Chrome executable, or install one (Debian: apt-get install chromium)';

/** Flags for a headless run on a machine without a network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function installedCandidates(): string[] {
  const home = homedir();
  const fixed = process.platform === 'darwin'
    ? [
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        join(home, 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
      ]
    : process.platform === 'win32'
      ? [
          join(process.env['PROGRAMFILES'] ?? 'C:\\Program Files', 'Google\\Chrome\\Application\\chrome.exe'),
          join(process.env['LOCALAPPDATA'] ?? '', 'Google\\Chrome\\Application\\chrome.exe'),
        ]
      : [
          '/usr/bin/chromium',
          '/usr/bin/chromium-browser',
          '/snap/bin/chromium',
          '/usr/bin/google-chrome',
          '/usr/bin/google-chrome-stable',
          '/opt/google/chrome/chrome',
        ];
  return [...fixed, ...playwrightCache(home)];
}

/** Browsers `npx playwright install` left in its cache, newest first. */
function playwrightCache(home: string): string[] {
  const root = process.env['PLAYWRIGHT_BROWSERS_PATH']
    ?? (process.platform === 'darwin' ? join(home, 'Library/Caches/ms-playwright')
      : process.platform === 'win32' ? join(process.env['LOCALAPPDATA'] ?? home, 'ms-playwright')
        : join(home, '.cache/ms-playwright'));
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const inside = [
    'chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-linux/headless_shell', 'chrome-headless-shell-linux64/chrome-headless-shell',
    'chrome-mac/Chromium.app/Contents/MacOS/Chromium', 'chrome-win/chrome.exe',
  ];
  return entries
    .filter((e) => /^chromium(_headless_shell)?-\d+$/.test(e))
    .sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]))
    .flatMap((e) => inside.map((p) => join(root, e, p)));
}

/** The Chromium inside `@sparticuz/chromium`, unpacked once per package version. */
async function packagedChromium(): Promise<ChromiumFound | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  let version: string;
  try {
    // The package exports only its entry point (build/index.js).
    pkgDir = join(require.resolve('@sparticuz/chromium'), '..', '..');
    version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
  const cacheRoot = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'course-companion');
  const dir = join(cacheRoot, `sparticuz-chromium-${version}`);
  const found = (): ChromiumFound => ({
    executablePath: join(dir, 'chromium'),
    source: `@sparticuz/chromium ${version} (${dir})`,
    env: { FONTCONFIG_PATH: join(dir, 'fonts') },
  });
  if (existsSync(join(dir, 'chromium'))) return found();
  // The package unpacks into os.tmpdir(): a child process with TMPDIR at a staging folder of ours
  // unpacks it there, then the folder is moved into place whole, so parallel test files never see
  // a half-written browser.
  await mkdir(cacheRoot, { recursive: true });
  const staging = await mkdtemp(join(cacheRoot, 'staging-'));
  const unpack = `import { inflate } from ${JSON.stringify(pathToFileURL(join(pkgDir, 'build', 'lambdafs.js')).href)};
    for (const f of ['chromium.br', 'fonts.tar.br', 'swiftshader.tar.br']) await inflate(${JSON.stringify(join(pkgDir, 'bin'))} + '/' + f);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', unpack], { env: { ...process.env, TMPDIR: staging }, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(join(staging, 'chromium'))) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`Could not unpack @sparticuz/chromium into ${cacheRoot}: ${(result.stderr || String(result.error)).trim().split('\n')[0]}; ${HOW_TO}`);
  }
  // Its fontconfig file names the folders it unpacks to on AWS Lambda (/tmp/fonts).
  const fontsConf = join(staging, 'fonts', 'fonts.conf');
  if (existsSync(fontsConf)) {
    const conf = (await readFile(fontsConf, 'utf8')).replaceAll('/tmp/fonts-cache', join(dir, 'fonts-cache')).replaceAll('/tmp/fonts', join(dir, 'fonts'));
    await writeFile(fontsConf, conf);
  }
  try {
    await rename(staging, dir);
  } catch {
    // Another process moved its copy in first.
    await rm(staging, { recursive: true, force: true });
  }
  return found();
}

let finding: Promise<ChromiumFound> | undefined;

/** Finds a browser, or rejects with one line saying how to provide one. */
export function findChromium(): Promise<ChromiumFound> {
  finding ??= (async () => {
    const given = process.env['CHROME_PATH'];
    if (given) {
      if (!existsSync(given)) throw new Error(`CHROME_PATH=${given} does not exist: ${HOW_TO}`);
      return { executablePath: given, source: 'CHROME_PATH' };
    }
    if (process.env['TEST_BROWSER_SKIP_INSTALLED'] !== '1') {
      const installed = installedCandidates().find((p) => existsSync(p));
      if (installed) return { executablePath: installed, source: installed };
    }
    const packaged = await packagedChromium();
    if (packaged) return packaged;
    throw new Error(`No Chromium found for the browser tests on ${process.platform}-${process.arch}: ${HOW_TO}`);
  })();
  return finding;
}

/** Launches the found Chromium headless. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const found = await findChromium();
  return chromium.launch({
    headless: true,
    ...options,
    executablePath: found.executablePath,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    env: { ...process.env, ...found.env, ...options.env },
  });
}
