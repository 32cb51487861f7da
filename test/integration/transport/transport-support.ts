/**
 * Helpers of the transport-security suites (issue 12 item 5): the ACL rules the chart ships,
 * an app whose logs are captured, and the whole flow production runs (token, introspection,
 * service cache, cleanup jobs) as one call.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../../../src/bootstrap';
import { ClientsService } from '../../../src/clients/clients.service';
import { loadConfig } from '../../../src/config/load-config';
import { JobRunEvent, JobRunner } from '../../../src/jobs/job-runner';
import { basicHeader, createClient, post as postForm } from '../../e2e/support/oauth-fixtures';
import { createUser, obtainCode, redeem } from '../authorize/flow-support';
import type { RedisTopology } from '../../support/redis-topology';
import { eventually, RunningApp, TEST_ENV } from '../../support/test-app';

export const ADMIN_TOKEN = 'transport-admin-token-0123456789abcdef0123';
export const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

/** Every cleanup job every second, so a test sees each one run within seconds. */
export const FAST_JOBS: Record<string, string> = {
  JOBS_TOKEN_CLEANUP_EVERY_MS: '1000',
  JOBS_SESSION_CLEANUP_EVERY_MS: '1000',
  JOBS_CACHE_CLEANUP_EVERY_MS: '1000',
  JOBS_WATCHDOG_INTERVAL_MS: '500',
  JOBS_WATCHDOG_SLACK_MS: '2000',
};

const ACL_FILE = path.join(__dirname, '../../../helm/tollgate/files/redis-users.acl');

/** The chart's ACL rules by role (app, jobs, replica, sentinel): what production runs. */
export function shippedAclRules(): Map<string, string> {
  const rules = new Map<string, string>();
  for (const line of readFileSync(ACL_FILE, 'utf8').split('\n')) {
    const m = /^([a-z-]+) (.+)$/.exec(line.trim());
    if (m && !line.startsWith('#')) rules.set(m[1], m[2]);
  }
  return rules;
}

export interface AclUser {
  readonly username: string;
  readonly password: string;
}

export const newUser = (label: string): AclUser => ({
  username: `tollgate-${label}`,
  password: randomBytes(16).toString('hex'),
});

/** aclfile line of `user` with the shipped rules of `role`, as the chart writes it. */
export function aclLine(user: AclUser, role: string, rules = shippedAclRules()): string {
  const roleRules = rules.get(role);
  if (!roleRules) throw new Error(`no ACL rules for role ${role} in ${ACL_FILE}`);
  return `user ${user.username} on >${user.password} ${roleRules}`;
}

/** The REDIS_* credentials of the app and BullMQ users. */
export const credentials = (app: AclUser, jobs: AclUser): Record<string, string> => ({
  REDIS_USERNAME: app.username,
  REDIS_PASSWORD: app.password,
  REDIS_JOBS_USERNAME: jobs.username,
  REDIS_JOBS_PASSWORD: jobs.password,
});

export interface LoggedLine {
  level: number;
  msg: string;
  context?: string;
}

export interface LoggedApp extends RunningApp {
  readonly lines: LoggedLine[];
  /** Logged lines at warn (40) or above, one per line of text. */
  problems(): string[];
}

/** Settings the sign-in flow needs in tests (plain-http cookies, cheap password hashing). */
const SIGN_IN_ENV = { SESSION_COOKIE_SECURE: 'false', PASSWORD_SCRYPT_N: '1024' };

/** Boots the real app with its JSON log captured (LOG_LEVEL info). */
export async function startLogged(env: Record<string, string>): Promise<LoggedApp> {
  // nestjs-pino keeps the first app's pino as the process-wide logger of Nest's Logger; each
  // app of a file needs its own sink.
  __resetOutOfContextForTests();
  const lines: LoggedLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({
    ...TEST_ENV,
    LOG_LEVEL: 'info',
    ADMIN_TOKEN,
    ...SIGN_IN_ENV,
    ...env,
  });
  const app: NestFastifyApplication = await createApp(config, { logDestination: sink });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    lines,
    problems: () => lines.filter((l) => l.level >= 40).map((l) => `[${l.context}] ${l.msg}`),
    close: () => app.close(),
  };
}

export async function waitReady(app: RunningApp, timeoutMs = 15_000): Promise<void> {
  await eventually(
    async () => (await fetch(`${app.url}/health/ready`)).status === 200,
    timeoutMs,
    'ready',
  );
}

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();

export interface IssuedToken {
  readonly token: string;
  readonly clientId: string;
  /** The one cache service the client may use. */
  readonly service: string;
  /** POSTs a form to /oauth2/<endpoint> as the client (HTTP Basic). */
  post(endpoint: string, body: Record<string, string>): Promise<Response>;
}

/** Registers a client (admin service) and gets a client_credentials token for the cache. */
export async function issueToken(app: RunningApp): Promise<IssuedToken> {
  const service = `svc-${randomBytes(3).toString('hex')}`;
  const { client, clientSecret } = await app.app.get(ClientsService).create({
    id: `transport-${randomBytes(4).toString('hex')}`,
    name: 'transport test client',
    type: 'confidential',
    grantTypes: ['client_credentials'],
    scopes: ['cache:read', 'cache:write'],
    cacheServices: [service],
  });
  const authorization = basicHeader(client.id, clientSecret ?? '');
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization };
  const post = (endpoint: string, body: Record<string, string>) =>
    fetch(`${app.url}/oauth2/${endpoint}`, { method: 'POST', headers, body: form(body) });
  const scope = 'cache:read cache:write';
  const issued = await post('token', { grant_type: 'client_credentials', scope });
  if (issued.status !== 200) throw new Error(`token: ${issued.status} ${await issued.text()}`);
  const { access_token: token } = (await issued.json()) as { access_token: string };
  return { token, clientId: client.id, service, post };
}

/** PUTs a text value into the client's cache service. */
export function cachePut(app: RunningApp, issued: IssuedToken, value: string): Promise<Response> {
  return fetch(`${app.url}/api/v1/cache/${issued.service}/greeting`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${issued.token}`, 'content-type': 'text/plain' },
    body: value,
  });
}

/**
 * The flow production runs, over HTTP: register a client, client_credentials token,
 * introspection, a service-cache write and read with the token, revocation.
 */
export async function exerciseFlow(app: RunningApp): Promise<void> {
  const issued = await issueToken(app);
  const { token, post } = issued;
  const introspected = (await (await post('introspect', { token })).json()) as object;
  expect(introspected).toMatchObject({ active: true, client_id: issued.clientId });

  expect((await cachePut(app, issued, 'hello over TLS')).status).toBeLessThan(300);
  const got = await fetch(`${app.url}/api/v1/cache/${issued.service}/greeting`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(got.status).toBe(200);
  expect(await got.text()).toBe('hello over TLS');

  expect((await post('revoke', { token })).status).toBe(200);
  const after = (await (await post('introspect', { token })).json()) as { active: boolean };
  expect(after.active).toBe(false);
  await signInFlow(app);
}

/**
 * A person signs in: user, login page, session, consent, code, redemption and a refresh
 * (sessions, interactions, consents, codes and refresh rotation: their scripts and keys).
 */
async function signInFlow(app: RunningApp): Promise<void> {
  const client = await createClient(app);
  const user = await createUser(app);
  const { code, verifier } = await obtainCode(app, client.id, user.username);
  const tokens = await redeem(app, client, code, verifier);
  expect(tokens.status).toBe(200);
  const { refresh_token: refreshToken } = tokens.body as { refresh_token: string };
  const refreshed = await postForm(
    app,
    '/oauth2/token',
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    { basic: [client.id, client.secret] },
  );
  expect(refreshed.status).toBe(200);
}

/** Resolves once every cleanup job has run at least once (BullMQ, on its own connections). */
export async function waitForEveryJob(app: RunningApp, timeoutMs = 15_000): Promise<string[]> {
  const runner = app.app.get(JobRunner);
  const seen = new Set<string>();
  const listener = (event: JobRunEvent) => seen.add(event.name);
  runner.on('run', listener);
  try {
    await eventually(
      () => seen.size >= 3,
      timeoutMs,
      `a run of every cleanup job (saw ${[...seen]})`,
    );
  } finally {
    runner.off('run', listener);
  }
  return [...seen].sort();
}

/** Runs ACL `args` on the current master as the harness's admin. */
async function aclCommand(topology: RedisTopology, ...args: string[]): Promise<unknown> {
  const admin = new Redis(topology.adminOptions(await topology.currentMaster()));
  try {
    await admin.connect();
    return await admin.call('ACL', ...args);
  } finally {
    admin.disconnect();
  }
}

export const resetAclLog = (topology: RedisTopology) => aclCommand(topology, 'LOG', 'RESET');

/**
 * The master's `ACL LOG` entries of `users` since the last reset, as `user: reason object`.
 * CONFIG GET is left out: the shipped rules deny it on purpose (the eviction-policy check
 * then warns instead).
 */
export async function aclDenials(topology: RedisTopology, users: AclUser[]): Promise<string[]> {
  const log = (await aclCommand(topology, 'LOG')) as unknown[][];
  const names = new Set(users.map((u) => u.username));
  return log
    .map((entry) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < entry.length; i += 2) f[String(entry[i])] = String(entry[i + 1]);
      return f;
    })
    .filter((f) => names.has(f.username) && f.object !== 'config|get')
    .map((f) => `${f.username}: ${f.reason} ${f.object} (${f.context})`);
}
