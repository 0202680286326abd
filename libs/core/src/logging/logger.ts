import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The process logger: pino, one JSON object a line (LOG_FORMAT=json) or readable lines (text). Secrets,
 * tokens and passwords are never logged; `redact` is the safety net for fields that might carry them.
 */
export function createLogger(options: { level: string; format: 'json' | 'text'; redact?: boolean }): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    base: { pid: process.pid },
    // `redact: false` only for the request log, whose lines are built field by field (request-log.ts): a
    // redacting logger costs three times as much per request line.
    ...(options.redact === false
      ? {}
      : {
          redact: {
            paths: ['*.client_secret', '*.password', '*.token', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
            censor: '[redacted]',
          },
        }),
  };
  if (options.format === 'text') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (o: object) => NodeJS.WritableStream;
    return pino(base, pretty({ colorize: false, translateTime: 'SYS:standard', ignore: 'pid,hostname' }));
  }
  // Asynchronous writes: lines logged while a write is under way go out together in the next one, so a line
  // per request does not cost a write system call per request. pino flushes what is left when the process exits.
  return pino(base, pino.destination({ sync: false }));
}

/** Routes Nest's own log lines into pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest's routine start-up chatter (modules, routes) is debug detail, not operational news. */
  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
