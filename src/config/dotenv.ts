import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './config.loader.js';

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;
const QUOTES = new Set(['"', "'", '`']);

/**
 * Checks every line of a .env file before Node's parser reads it: Node's skips a line it cannot
 * read (`LOG_LEVEL debug`) and runs an unterminated quote on to the end of the file, both without
 * a word. Throws a ConfigError naming the file and line; values are never echoed (they may be secrets).
 */
export function checkDotEnv(text: string, file = '.env'): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      const word = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)/.exec(line)?.[1];
      throw new ConfigError(`${file} line ${i + 1} is not NAME=value${word ? ` (${word} has no "=")` : ''}`);
    }
    const value = match[2]!.trimStart();
    const quote = value[0];
    if (quote === undefined || !QUOTES.has(quote)) continue;
    // A quoted value may run over several lines; it must close somewhere.
    let end = value.indexOf(quote, 1);
    let last = i;
    while (end === -1 && last + 1 < lines.length) {
      last += 1;
      end = lines[last]!.indexOf(quote);
    }
    if (end === -1) throw new ConfigError(`${file} line ${i + 1}: the value of ${match[1]} opens a ${quote} quote that is never closed`);
    i = last;
  }
}

/** Loads `.env` from the working directory when present (after checking it); variables already set win. */
export function loadDotEnv(file = '.env'): void {
  if (!existsSync(file)) return;
  checkDotEnv(readFileSync(file, 'utf8'), file);
  process.loadEnvFile(file);
}
