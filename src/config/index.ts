/** Public API of config: the validated configuration, its token and module, the .env loader. */
export { APP_CONFIG, AppConfigModule } from './app-config.module.js';
export { ConfigError, loadConfig, type AppConfig } from './config.loader.js';
export { loadDotEnv } from './dotenv.js';
export { configFromEnvironment } from './process-config.js';
