/**
 * The failover chaos scenario (issue 12): a real Sentinel topology (1 master, 2 replicas, 3
 * sentinels), two tollgate instances, steady load (chaos-load.ts), and mid-run one fault of
 * chaos-faults.ts (the master killed or frozen, a Sentinel or a replica killed, every Redis
 * process down for a while). Returns the figures and every broken invariant, checked over every
 * answer received. No jest imports: `npm run chaos` (bench/chaos.ts) reuses it.
 */
import { RedisTopology } from '../../../src/dev/redis-topology';
import {
  basicHeader,
  createClient,
  mintCode,
  pkcePair,
  REDIRECT_URI,
} from '../../e2e/support/oauth-fixtures';
import { eventually, RunningApp, startApp } from '../../support/test-app';
import { Answer, LoadOutcome, runLoad } from './chaos-load';
import { checkReplica, checkTokens, summarize } from './chaos-checks';
import { AOF_CONFIG, Fault, FaultSpec, faultSpanMs, FaultTimes, injectFault } from './chaos-faults';
import { PromotionWatch } from './promotion-watch';
import { ReadinessProbe } from './readiness-probe';

export type { Fault } from './chaos-faults';

export interface ChaosOptions extends FaultSpec {
  readonly writeReplicas: number;
  readonly workers?: number;
  /** Load before and after the fault; the run lasts at least this long. */
  readonly durationMs?: number;
  readonly faultAfterMs?: number;
}

export interface ChaosFigures {
  readonly fault: Fault;
  readonly writeReplicas: number;
  readonly requests: number;
  readonly ok: number;
  readonly unavailable: number;
  /** Answered 200 after the fault (and after the freeze ended): the apps recovered. */
  readonly okAfterFault: number;
  readonly lost: number;
  readonly revocationsUndone: number;
  readonly replaysAccepted: number;
  /** First to last non-2xx answer (start of the first to end of the last), ms; 0 if none. */
  readonly failureWindowMs: number;
  /** From the fault to the first non-2xx answer, ms; undefined if none. */
  readonly firstFailureAfterFaultMs?: number;
  /** kill, freeze: from the fault until a replica answered role:master. */
  readonly promotedAfterMs?: number;
  /** kill, freeze: from that promotion until the first write started after the fault was
   * answered 200 (negative: it was answered within the watch's 20 ms polling step). */
  readonly writesResumedAfterPromotionMs?: number;
  /** From the fault (kill or SIGSTOP) until both instances answered /health/ready 200 (0: never left). */
  readonly readyAgainMs: number;
  /** The same from the fault's end (SIGCONT, restart), for faults that last (0: ready before). */
  readonly readyAfterRecoveryMs: number;
  /** replica-kill: writes answered 200 that started while the replica was dead. */
  readonly okWhileReplicaDown?: number;
  /** replica-kill: tokens answered 200 (or revocations) missing on the replica that stayed up. */
  readonly missingOnReplica?: number;
  readonly slowestMs: number;
  readonly violations: string[];
}

/** The apps' HTTP_REQUEST_TIMEOUT_MS (the default): no answer may take longer. */
export const REQUEST_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startInstances(topology: RedisTopology, writeReplicas: number) {
  const env = {
    ...topology.env(),
    REDIS_WRITE_REPLICAS: String(writeReplicas),
    REDIS_WRITE_TIMEOUT_MS: '500',
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    PASSWORD_SCRYPT_N: '1024',
  };
  const apps = [await startApp(env), await startApp(env)];
  for (const app of apps) {
    await eventually(async () => (await fetch(`${app.url}/health/ready`)).ok, 20_000, 'ready');
  }
  return apps;
}

/** One refresh token per worker, through the authorization code grant (RFC 6749 4.1). */
async function refreshTokens(app: RunningApp, client: { id: string; secret: string }, n: number) {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const { verifier, challenge } = pkcePair();
    const code = await mintCode(app, client.id, challenge);
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    // The durable connection may still be coming up just after readiness.
    await eventually(async () => {
      const res = await fetch(`${app.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: basicHeader(client.id, client.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      });
      if (res.status !== 200) throw new Error(`code redemption: ${res.status}`);
      tokens.push(String(((await res.json()) as { refresh_token: string }).refresh_token));
      return true;
    }, 15_000);
  }
  return tokens;
}

async function scenario(topology: RedisTopology, apps: RunningApp[], opts: ChaosOptions) {
  const client = await createClient(apps[0]);
  const workers = opts.workers ?? 8;
  const initialRefresh = await refreshTokens(apps[0], client, workers);
  const urls = apps.map((a) => a.url);
  const probe = new ReadinessProbe(urls);
  const startedAt = Date.now();
  const faultAfterMs = opts.faultAfterMs ?? 2000;
  const span = faultSpanMs(opts);
  const loadOptions = {
    urls,
    authorization: basicHeader(client.id, client.secret),
    refreshTokens: initialRefresh,
    // Set once the fault has ended (workers read it on every request).
    stopAt: Number.POSITIVE_INFINITY,
    paceMs: 20,
    abortAfterMs: REQUEST_TIMEOUT_MS + 5000,
  };
  const load = runLoad(loadOptions);
  await sleep(faultAfterMs);
  const planned = startedAt + Math.max(opts.durationMs ?? 8000, faultAfterMs + span + 3000);
  let times: FaultTimes | undefined;
  let outcome: LoadOutcome;
  const movesMaster = opts.fault === 'kill' || opts.fault === 'freeze';
  const promotion = movesMaster
    ? new PromotionWatch(topology, await topology.currentMaster())
    : undefined;
  let promotedAt: number | undefined;
  try {
    try {
      times = await injectFault(topology, opts);
    } finally {
      // The run lasts durationMs, and at least 3 s beyond the fault's end (restarts take time).
      loadOptions.stopAt = Math.max(planned, (times?.recoveredAt ?? 0) + 3000);
    }
    outcome = await load;
    await probe.waitAllReady(30_000);
  } finally {
    await probe.stop();
    promotedAt = await promotion?.stop();
  }
  const survivor = times.replicaDown?.survivor;
  const missingOnReplica = survivor ? await checkReplica(survivor, outcome) : undefined;
  const tokens = await checkTokens(urls, client, outcome);
  return {
    outcome,
    tokens,
    times,
    missingOnReplica,
    promotedAt,
    readyAgainMs: probe.readyAgainAfter(times.faultAt),
    readyAfterRecoveryMs: probe.readyAgainAfter(times.recoveredAt),
  };
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosFigures> {
  const topology = await RedisTopology.start({
    mode: 'sentinel',
    replicas: 2,
    extraConfig: opts.fault === 'redis-down' ? AOF_CONFIG : undefined,
  });
  const apps: RunningApp[] = [];
  try {
    apps.push(...(await startInstances(topology, opts.writeReplicas)));
    const run = await scenario(topology, apps, opts);
    return summarize(opts, run, REQUEST_TIMEOUT_MS);
  } finally {
    for (const app of apps) await app.close().catch(() => undefined);
    await topology.stop();
  }
}

export function formatFigures(f: ChaosFigures): string {
  return (
    `chaos ${f.fault} (REDIS_WRITE_REPLICAS=${f.writeReplicas}): ${f.requests} requests, ` +
    `${f.ok} answered 200, ${f.unavailable} answered 503, ${f.okAfterFault} 200 after the fault, ` +
    `lost tokens ${f.lost}, revocations undone ${f.revocationsUndone}, replays accepted ` +
    `${f.replaysAccepted}, failure window ${f.failureWindowMs} ms (first failure ` +
    `${f.firstFailureAfterFaultMs ?? '-'} ms after the fault), ready again ${f.readyAgainMs} ms ` +
    `after the fault (${f.readyAfterRecoveryMs} ms after its end), slowest answer ${f.slowestMs} ms` +
    (f.promotedAfterMs === undefined
      ? ''
      : `, promotion ${f.promotedAfterMs} ms after the fault, writes answered 200 again ` +
        `${f.writesResumedAfterPromotionMs ?? '-'} ms after it`) +
    (f.okWhileReplicaDown === undefined
      ? ''
      : `, ${f.okWhileReplicaDown} writes answered 200 while the replica was dead, ` +
        `${f.missingOnReplica} acknowledged tokens missing on the surviving replica`) +
    (f.violations.length ? `; VIOLATIONS: ${f.violations.join('; ')}` : '')
  );
}

export type { Answer };
