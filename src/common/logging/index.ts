/** Public API of common/logging. */
export { createLogger } from './logger.options.js';
export { NestPinoLogger } from './nest-pino-logger.js';
export { RequestLogController } from './request-log.js';
