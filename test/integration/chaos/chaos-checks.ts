/**
 * The invariants of the chaos scenario, checked after the run over every answer received:
 * a token answered 200 still introspects active (RFC 7662 section 2.2), a revocation answered
 * 200 still holds (RFC 7009 section 2.2), a redeemed refresh token is not redeemed again
 * (RFC 9700 section 4.14.2), and every non-2xx answer was a clean 503 with Retry-After.
 * With a replica killed: every acknowledged token is in the surviving replica's keyspace, and
 * with REDIS_WRITE_REPLICAS = every replica no write succeeded while one was dead.
 */
import { withClient } from '../../../src/dev/redis-process';
import { keys } from '../../../src/redis/keys';
import { digestToken } from '../../../src/tokens/token-crypto';
import { basicHeader } from '../../e2e/support/oauth-fixtures';
import { eventually } from '../../support/test-app';
import type { FaultTimes } from './chaos-faults';
import type { Answer, LoadOutcome } from './chaos-load';
import type { ChaosFigures, ChaosOptions } from './chaos-scenario';

/** Replicas of the chaos topology: REDIS_WRITE_REPLICAS at least this means "on every one". */
const REPLICAS = 2;

export interface TokenChecks {
  readonly lost: number;
  readonly revocationsUndone: number;
  readonly replaysAccepted: number;
}

type Client = { id: string; secret: string };

async function post(url: string, path: string, client: Client, form: Record<string, string>) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: basicHeader(client.id, client.secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

/** Introspects every token (16 at a time, alternating instances); retries a 503. */
async function activeFlags(urls: readonly string[], client: Client, tokens: string[]) {
  const flags: boolean[] = new Array<boolean>(tokens.length);
  let next = 0;
  const lane = async (offset: number) => {
    while (next < tokens.length) {
      const i = next++;
      await eventually(async () => {
        const res = await post(urls[(offset + i) % urls.length], '/oauth2/introspect', client, {
          token: tokens[i],
        });
        if (res.status !== 200) throw new Error(`introspection answered ${res.status}`);
        flags[i] = res.body.active === true;
        return true;
      }, 20_000);
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, offset) => lane(offset)));
  return flags;
}

export async function checkTokens(
  urls: readonly string[],
  client: Client,
  out: LoadOutcome,
): Promise<TokenChecks> {
  const mustBeActive = [...out.kept, ...out.currentRefresh];
  const active = await activeFlags(urls, client, mustBeActive);
  const revoked = await activeFlags(urls, client, out.revoked);
  // Last, because a replay that is recognised revokes the whole family (grace 0).
  let replaysAccepted = 0;
  for (const token of out.redeemedRefresh) {
    const res = await post(urls[0], '/oauth2/token', client, {
      grant_type: 'refresh_token',
      refresh_token: token,
    });
    if (res.status === 200) replaysAccepted++;
  }
  return {
    lost: active.filter((a) => !a).length,
    revocationsUndone: revoked.filter(Boolean).length,
    replaysAccepted,
  };
}

/** How many acknowledged tokens (kept access tokens, current refresh tokens, blacklist
 * entries of revocations answered 200) the replica on `port` does not hold. Read on the
 * replica itself (DB 0), so a write acknowledged without reaching it shows here. */
export async function checkReplica(port: number, out: LoadOutcome): Promise<number> {
  const wanted = [
    ...out.kept.map((t) => keys.accessToken(digestToken(t))),
    ...out.currentRefresh.map((t) => keys.refreshToken(digestToken(t))),
    ...out.revoked.map((t) => keys.blacklist(digestToken(t))),
  ];
  const replies = await withClient(
    port,
    async (c) => {
      const batch = c.pipeline();
      for (const key of wanted) batch.exists(key);
      return (await batch.exec()) ?? [];
    },
    10_000,
  );
  return replies.filter(([err, n]) => err !== null || n !== 1).length;
}

function answerViolations(answers: readonly Answer[], timeoutMs: number): string[] {
  const bad = (a: Answer): string | undefined => {
    if (a.failure) return `${a.op}: no answer (${a.failure})`;
    if (a.ms > timeoutMs) return `${a.op}: answered after ${a.ms} ms`;
    if (a.status === 200) return undefined;
    if (a.status !== 503) return `${a.op}: HTTP ${a.status}`;
    if (!a.retryAfter || !a.errorJson) return `${a.op}: 503 without Retry-After or error JSON`;
    return undefined;
  };
  const counts = new Map<string, number>();
  for (const problem of answers.map(bad)) {
    if (problem) counts.set(problem, (counts.get(problem) ?? 0) + 1);
  }
  return [...counts].map(([problem, n]) => `${n} x ${problem}`);
}

export interface RunResult {
  readonly outcome: LoadOutcome;
  readonly tokens: TokenChecks;
  readonly times: FaultTimes;
  readonly missingOnReplica?: number;
  /** kill, freeze: when a replica answered role:master (PromotionWatch). */
  readonly promotedAt?: number;
  readonly readyAgainMs: number;
  readonly readyAfterRecoveryMs: number;
}

/** From the promotion until the first write started after the fault was answered 200. */
function resumedAfterPromotion(run: RunResult): number | undefined {
  if (run.promotedAt === undefined) return undefined;
  const ends = run.outcome.answers
    .filter((a) => a.status === 200 && a.startedAt > run.times.faultAt)
    .map((a) => a.startedAt + a.ms);
  return ends.length ? Math.min(...ends) - run.promotedAt : undefined;
}

/** Writes (every op of the load is one) answered 200 that started while a replica was dead:
 * with WAIT on every replica, each one "succeeded weakly" (its WAIT was sent after the kill). */
function okWhileReplicaDown(answers: readonly Answer[], times: FaultTimes): number | undefined {
  const down = times.replicaDown;
  if (!down) return undefined;
  return answers.filter(
    (a) => a.status === 200 && a.startedAt >= down.from && a.startedAt < down.to,
  ).length;
}

export function summarize(opts: ChaosOptions, run: RunResult, timeoutMs: number): ChaosFigures {
  const { answers } = run.outcome;
  const failed = answers.filter((a) => a.status !== 200);
  const first = failed.length ? Math.min(...failed.map((a) => a.startedAt)) : undefined;
  const last = failed.length ? Math.max(...failed.map((a) => a.startedAt + a.ms)) : undefined;
  const violations = answerViolations(answers, timeoutMs);
  const { lost, revocationsUndone, replaysAccepted } = run.tokens;
  if (lost) violations.push(`${lost} tokens answered 200 no longer active`);
  if (revocationsUndone) violations.push(`${revocationsUndone} revocations answered 200 undone`);
  if (replaysAccepted) violations.push(`${replaysAccepted} refresh tokens redeemed twice`);
  if (Number.isNaN(run.readyAgainMs)) violations.push('an instance never became ready again');
  const weak = okWhileReplicaDown(answers, run.times);
  if (weak && opts.writeReplicas >= REPLICAS) {
    violations.push(`${weak} writes answered 200 while a replica was dead (succeeded weakly)`);
  }
  if (run.missingOnReplica) {
    violations.push(`${run.missingOnReplica} acknowledged tokens missing on the surviving replica`);
  }
  return {
    fault: opts.fault,
    writeReplicas: opts.writeReplicas,
    requests: answers.length,
    ok: answers.length - failed.length,
    unavailable: failed.filter((a) => a.status === 503).length,
    okAfterFault: answers.filter((a) => a.status === 200 && a.startedAt > run.times.recoveredAt)
      .length,
    lost,
    revocationsUndone,
    replaysAccepted,
    failureWindowMs: first === undefined ? 0 : last! - first,
    firstFailureAfterFaultMs: first === undefined ? undefined : first - run.times.faultAt,
    promotedAfterMs: run.promotedAt === undefined ? undefined : run.promotedAt - run.times.faultAt,
    writesResumedAfterPromotionMs: resumedAfterPromotion(run),
    readyAgainMs: run.readyAgainMs,
    readyAfterRecoveryMs: run.readyAfterRecoveryMs,
    okWhileReplicaDown: weak,
    missingOnReplica: run.missingOnReplica,
    slowestMs: Math.max(0, ...answers.map((a) => a.ms)),
    violations,
  };
}
