import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService over the same pino instance Fastify uses: framework and
 * application messages (`new Logger(Context).warn(...)`) become JSON lines with a
 * `context` field, redacted like every other line.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack?, context?).
    const [stack, context] = params.length >= 2 ? params : [undefined, params[0]];
    const fields = typeof stack === 'string' ? { stack } : {};
    this.write('error', message, typeof context === 'string' ? [context] : [], fields);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[], extra = {}): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const last = params[params.length - 1];
    const context = typeof last === 'string' ? last : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message, ...extra }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ context, ...extra, ...message });
    } else {
      this.pino[level]({ context, ...extra }, String(message));
    }
  }
}
