/**
 * The peer of tollgate's benchmark: node-oidc-provider with the Redis adapter of
 * redis-adapter.mjs, started by bench/run.ts as a child process (like bench/server.ts) and
 * speaking the same IPC messages (bench/protocol.ts): `ready` with the port and the client,
 * then answers to `cpu` and `memory`.
 *
 * Configured for what the benchmark compares, nothing more: client_credentials, introspection
 * and revocation enabled, opaque access tokens (the default format when no resource
 * indicator is requested), one confidential client with client_secret_basic and the scope
 * `cache:read`, and tollgate's endpoint paths and access token lifetime (900 s). The client
 * is static configuration, so the peer reads it from memory, never from Redis.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { redis, RedisAdapter } from './redis-adapter.mjs';

const CLIENT_ID = 'bench';
const READY_TIMEOUT_MS = 20_000;

const send = (message) => process.send?.(message);

/** The defaults do the same and warn that a real deployment should decide for itself. */
const sameClientOnly = (ctx, client, token) => token.clientId === client.clientId;

function configuration(clientSecret) {
  // Signing keys are needed at start-up even though no flow here signs anything; without
  // them the provider falls back to (and warns about) its development keys.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    adapter: RedisAdapter,
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'cache:read',
      },
    ],
    scopes: ['cache:read'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: () => true },
      revocation: { enabled: true, allowedPolicy: sameClientOnly },
    },
    routes: {
      token: '/oauth2/token',
      introspection: '/oauth2/introspect',
      revocation: '/oauth2/revoke',
    },
    ttl: { ClientCredentials: 900 },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bench', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
  };
}

function peakRssBytes() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function answer(message) {
  if (message.type === 'cpu') {
    send({ type: 'cpu', ...process.cpuUsage() });
    return;
  }
  const { rss, heapUsed } = process.memoryUsage();
  globalThis.gc?.();
  const liveHeap = process.memoryUsage().heapUsed;
  send({ type: 'memory', rss, peakRss: peakRssBytes(), heapUsed, liveHeap });
}

async function main() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const clientSecret = randomBytes(32).toString('base64url');
  const provider = new Provider(`http://127.0.0.1:${port}`, configuration(clientSecret));
  // A 500 of the peer is counted as non-2xx by the benchmark; the cause goes to stderr.
  provider.on('server_error', (ctx, err) => process.stderr.write(`peer: ${err.stack}\n`));
  server.on('request', provider.callback());

  await Promise.race([
    redis.ping(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('Redis not ready')), READY_TIMEOUT_MS),
    ),
  ]);
  process.on('message', answer);
  send({ type: 'ready', port, clientId: CLIENT_ID, clientSecret });
}

// The parent's death closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => {
  redis.disconnect();
  process.exit(0);
});

main().catch((err) => {
  process.stderr.write(`peer server: ${err.stack ?? String(err)}\n`);
  process.exit(1);
});
