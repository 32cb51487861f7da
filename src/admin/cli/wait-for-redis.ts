import type { ConnectionState } from '../../redis/connection-state';
import type { RedisConnection } from '../../redis/redis-connection';

/**
 * Resolves once the connection is ready; rejects after `timeoutMs` with the last error, or
 * at the first failed attempt whose cause no retry fixes (a wrong CA or password: the
 * preflight hook Job then says what to fix at once). The Redis clients run without an
 * offline queue, so the CLI must not send a command before this: it would fail at once
 * instead of waiting.
 */
export function waitForRedis(connection: RedisConnection, timeoutMs: number): Promise<void> {
  if (connection.isReady()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onState = (state: ConnectionState) => {
      if (state !== 'connected') return;
      cleanup();
      resolve();
    };
    // RedisConnection's own listener came first: it has classified the error already.
    const onError = () => {
      const problem = connection.problem();
      if (problem === null) return;
      cleanup();
      reject(new Error(`Redis: ${problem}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      const lastError = connection.snapshot().lastError ?? 'no answer';
      reject(new Error(`Redis not reachable within ${timeoutMs / 1000} s (${lastError})`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      connection.off('state', onState);
      connection.client.off('error', onError);
    };
    connection.on('state', onState);
    connection.client.on('error', onError);
  });
}
