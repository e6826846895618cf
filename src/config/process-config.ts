import { ConfigError, loadConfig, type AppConfig } from './config.loader.js';
import { loadDotEnv } from './dotenv.js';

/**
 * For a process entry (server, worker): `.env`, then the environment (which wins), validated. A bad
 * value ends the process with its one-line message, not a stack trace.
 */
export function configFromEnvironment(): AppConfig {
  loadDotEnv();
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
