/** Public API of config: the validated configuration, its module and slices, the .env loader. */
export { AppConfigModule } from './app-config.module.js';
export { configSlice, type ConfigOf, type ConfigSlice } from './config-slice.js';
export { ConfigError, loadConfig, type AppConfig } from './config.loader.js';
export { loadDotEnv } from './dotenv.js';
export { configFromEnvironment } from './process-config.js';
