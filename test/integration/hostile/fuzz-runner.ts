/**
 * Runs one endpoint's property: each generated request is sent to the real app, and the
 * answer and the Redis state are checked (answerProblems, diff). Requests and statuses are
 * tallied for the suite's printed summary.
 */
import fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { RouteTable } from '../../../src/platform/route-table';
import type { EndpointSpec } from './endpoint-spec';
import { render } from './hostile-request';
import type { HostileWorld } from './hostile-world';
import { sendRaw, type RawRequest, type RawResponse } from './raw-request';
import { diff, snapshot, type Snapshot, type SnapshotRules } from './redis-snapshot';
import { answerProblems } from './response-checks';

/** Runs per endpoint: FC_NUM_RUNS overrides (e.g. 2000 for a long local run). */
export const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 40);
/** FC_SEED replays a failure printed by fast-check (with FC_PATH to jump to the shrunk case). */
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;
/** FUZZ_TRACE=<file> appends one line per request (method, target, status, changes) there. */
const TRACE = process.env.FUZZ_TRACE;

/**
 * State that legitimately changes on rejected requests:
 * - `auth:rate_limit:*`: every request is charged, refused ones included (that is the point);
 * - `cache_stats` `<service>:misses`: a GET of a missing entry is a 404 and counts a miss;
 * - BullMQ's keys and the job status hashes: written by the jobs, not by requests (jobs are
 *   disabled in this suite; excluded so a stray tick cannot fail it).
 */
export const SNAPSHOT_RULES: SnapshotRules = {
  ignorePrefixes: ['auth:rate_limit:', 'tollgate_jobs:', 'jobs_status', 'jobs_cursors'],
  fieldWiseKey: 'cache_stats',
  ignoreField: (key, field) => key === 'cache_stats' && field.endsWith(':misses'),
};

export function takeSnapshot(world: HostileWorld): Promise<Snapshot> {
  return snapshot(
    [
      ['0', world.auth],
      ['1', world.cache],
    ],
    SNAPSHOT_RULES,
  );
}

/**
 * Refused: a 4xx or, from the authorization endpoint, a redirect carrying an OAuth error back
 * to the client (RFC 6749 section 4.1.2.1). Not from the consent form: a "deny" is the
 * user's decision, which completes (deletes) the interaction before redirecting with
 * access_denied.
 */
export function isRejected(res: RawResponse, spec: EndpointSpec): boolean {
  if (res.status >= 400) return true;
  const redirect = res.status >= 300 && res.status < 400;
  return (
    redirect &&
    spec.errorRedirectIsRefusal === true &&
    /[?#&]error=/.test(res.headers.location ?? '')
  );
}

export class Tally {
  readonly byEndpoint = new Map<string, Map<number, number>>();
  private requestMs = 0;
  private snapshotMs = 0;
  private keys = 0;

  /** Time spent waiting for answers and taking snapshots; the last snapshot's key count. */
  time(requestMs: number, snapshotMs: number, keys: number): void {
    this.requestMs += requestMs;
    this.snapshotMs += snapshotMs;
    this.keys = keys;
  }

  add(endpoint: string, status: number): void {
    const counts = this.byEndpoint.get(endpoint) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    this.byEndpoint.set(endpoint, counts);
  }

  total(): number {
    let n = 0;
    for (const counts of this.byEndpoint.values()) for (const c of counts.values()) n += c;
    return n;
  }

  report(): string {
    const lines = [...this.byEndpoint].map(([endpoint, counts]) => {
      const statuses = [...counts].sort(([a], [b]) => a - b).map(([s, c]) => `${s}x${c}`);
      return `  ${endpoint.padEnd(50)} ${statuses.join(' ')}`;
    });
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    return (
      `hostile input: ${this.total()} requests (answers ${seconds(this.requestMs)} s, ` +
      `snapshots ${seconds(this.snapshotMs)} s, ${this.keys} keys at the end)\n${lines.join('\n')}`
    );
  }
}

export async function fuzzEndpoint(
  world: HostileWorld,
  spec: EndpointSpec,
  tally: Tally,
): Promise<void> {
  let before = await takeSnapshot(world);
  const property = fc.asyncProperty(spec.request, async (request) => {
    if (spec.prepare) {
      await spec.prepare(world);
      before = await takeSnapshot(world);
    }
    const raw = render(request, world);
    const sent = performance.now();
    const res = await sendRaw(world.app.url, raw);
    const answered = performance.now();
    let after = await takeSnapshot(world);
    tally.time(answered - sent, performance.now() - answered, after.size);
    tally.add(spec.name, res.status);
    const authorized = res.status < 300 && spec.internalsWhenAuthorized;
    // A HEAD answer has no body to hold the error object (RFC 9110 section 9.3.2).
    const oauthJson = spec.oauthJson && raw.method !== 'HEAD';
    const problems = answerProblems(authorized ? { ...res, body: '' } : res, { oauthJson });
    problems.push(...statusProblems(world.app.app.get(RouteTable), raw, res, spec));
    const changes = diff(before, after, (key) => spec.mayChange?.(world, key) ?? false);
    if (isRejected(res, spec)) {
      problems.push(...changes.map((c) => `rejected request changed Redis: ${c}`));
    } else if (changes.length > 0 && spec.renew) {
      await spec.renew(world);
      after = await takeSnapshot(world);
    }
    if (TRACE) {
      const line = `${spec.name} | ${raw.method} ${raw.target.slice(0, 120)} -> ${res.status} ${res.body.slice(0, 120)} | ${changes.join(', ')}`;
      appendFileSync(TRACE, `${line}\n`);
    }
    before = after;
    if (problems.length > 0) throw new Error(explain(raw, res, problems));
  });
  await fc.assert(property, {
    numRuns: NUM_RUNS,
    ...(SEED === undefined ? {} : { seed: SEED }),
    ...(PATH === undefined ? {} : { path: PATH }),
    // Shrinking replays requests against a changing state; a few steps are enough to read.
    endOnFailure: process.env.FC_SHRINK !== '1',
  });
}

/**
 * The right 4xx family: a path no route takes is a 404 and a known path with another method
 * a 405, whatever the body; a route that declares its statuses answers one of them. Refusals
 * before routing (the HTTP parser's 400, a malformed URL, 413, 414, 431) are always right.
 */
function statusProblems(
  routes: RouteTable,
  raw: RawRequest,
  res: RawResponse,
  spec: EndpointSpec,
): string[] {
  // A HEAD answer has no body to tell the parser's 400 from a route's: taken as the parser's.
  const beforeRouting =
    [413, 414, 431].includes(res.status) ||
    (res.status === 400 && (raw.method === 'HEAD' || /"malformed (request|URL)"/.test(res.body)));
  if (beforeRouting || !/^[A-Z]+$/.test(raw.method)) return [];
  const path = raw.target.split(/[?#]/)[0];
  const allowed = routes.allowed(path);
  if (allowed.length === 0) {
    return res.status === 404
      ? []
      : [`no route takes ${path.slice(0, 80)}: ${res.status}, not 404`];
  }
  if (!allowed.includes(raw.method))
    return res.status === 405 ? [] : [`${raw.method} is not allowed here: ${res.status}, not 405`];
  if (spec.statuses && !spec.statuses.includes(res.status))
    return [`status ${res.status} is none of ${spec.statuses.join(', ')}`];
  return [];
}

function explain(raw: RawRequest, res: RawResponse, problems: string[]): string {
  const cut = (s: string, n = 300) =>
    s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s;
  return [
    ...problems,
    `request: ${raw.method} ${cut(raw.target, 200)}`,
    ...raw.headers.map(([name, value]) => `  ${name}: ${cut(value.toString('latin1'), 200)}`),
    `  body: ${cut(JSON.stringify(raw.body.toString('latin1')))}`,
    `answer: ${res.status} ${cut(res.body, 600)}`,
  ].join('\n');
}
