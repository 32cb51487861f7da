/**
 * Boots the real application (the same createApp as main.ts) on a free loopback port
 * against the given environment, for integration and e2e tests.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, CreateAppOptions } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { captureDestination } from './log-capture';

export interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  close(): Promise<void>;
}

/** Quiet, fast-retrying defaults for tests; `env` (e.g. topology.env()) overrides them. */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PORT: '0',
  HOST: '127.0.0.1',
  REDIS_RETRY_BASE_MS: '100',
  REDIS_RETRY_MAX_MS: '500',
  REDIS_CONNECT_TIMEOUT_MS: '1000',
  REDIS_COMMAND_TIMEOUT_MS: '1000',
  // The limiter runs (its scripts and headers are exercised) but never refuses a suite's own
  // traffic; test/integration/ratelimit sets real limits.
  RATE_LIMIT_CLIENT_LIMIT: '1000000',
  RATE_LIMIT_IP_LIMIT: '1000000',
  RATE_LIMIT_DEFAULT_LIMIT: '1000000',
  RATE_LIMIT_LOGIN_LIMIT: '1000000',
};

/**
 * `options.logDestination`: where the app's log lines go (a test capturing them). Without
 * one, under TOLLGATE_LOG_CAPTURE_DIR the app logs at trace into that directory
 * (log-capture.ts), unless `env` sets LOG_LEVEL itself.
 */
export async function startApp(
  env: Record<string, string>,
  options: CreateAppOptions = {},
): Promise<RunningApp> {
  const capture = options.logDestination ? undefined : captureDestination();
  const level = capture && env.LOG_LEVEL === undefined ? { LOG_LEVEL: 'trace' } : {};
  const config = loadConfig({ ...TEST_ENV, ...level, ...env });
  const app = await createApp(config, capture ? { logDestination: capture } : options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('app did not bind a TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  return { app, config, url, close: () => app.close() };
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}: ${String(lastError ?? '')}`,
  );
}
