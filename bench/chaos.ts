/**
 * `npm run chaos`: the chaos scenario of the integration suite
 * (test/integration/chaos/chaos-scenario.ts), repeated. CHAOS_RUNS (default 5) runs of each
 * fault in CHAOS_FAULTS (default kill,freeze; also sentinel-kill, replica-kill, redis-down)
 * with REDIS_WRITE_REPLICAS from the environment (default 1; 0, 1 or 2 with the two replicas
 * here). redis-down keeps every Redis process dead for CHAOS_DOWN_SECONDS (default 60),
 * replica-kill its replica for CHAOS_REPLICA_DOWN_SECONDS (default 5). Prints one line per run
 * and a table; exits 1 if any run broke an invariant (docs/reliability.md, "Chaos scenario").
 */
import { Fault, FAULTS } from '../test/integration/chaos/chaos-faults';
import { ChaosFigures, formatFigures, runChaos } from '../test/integration/chaos/chaos-scenario';

const RUNS = Number(process.env.CHAOS_RUNS ?? 5);
const WRITE_REPLICAS = Number(process.env.REDIS_WRITE_REPLICAS ?? 1);
const DOWN_MS = Number(process.env.CHAOS_DOWN_SECONDS ?? 60) * 1000;
const REPLICA_DOWN_MS = Number(process.env.CHAOS_REPLICA_DOWN_SECONDS ?? 5) * 1000;

function faults(): Fault[] {
  const named = (process.env.CHAOS_FAULTS ?? 'kill,freeze').split(',').map((f) => f.trim());
  const unknown = named.filter((f) => !(FAULTS as readonly string[]).includes(f));
  if (unknown.length) {
    throw new Error(`CHAOS_FAULTS: unknown ${unknown.join(', ')} (known: ${FAULTS.join(', ')})`);
  }
  return named as Fault[];
}

const downMs = (fault: Fault): number | undefined =>
  fault === 'redis-down' ? DOWN_MS : fault === 'replica-kill' ? REPLICA_DOWN_MS : undefined;

function row(f: ChaosFigures, run: number): string {
  const cells = [
    f.fault,
    f.writeReplicas,
    run,
    f.requests,
    f.ok,
    f.unavailable,
    f.lost,
    f.failureWindowMs,
    f.readyAgainMs,
    f.readyAfterRecoveryMs,
    f.slowestMs,
    f.promotedAfterMs ?? '-',
    f.writesResumedAfterPromotionMs ?? '-',
    f.okWhileReplicaDown ?? '-',
    f.missingOnReplica ?? '-',
    f.violations.length ? f.violations.join('; ') : 'none',
  ];
  return `| ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const rows: string[] = [];
  let broken = 0;
  for (const fault of faults()) {
    for (let run = 1; run <= RUNS; run++) {
      const opts = { fault, writeReplicas: WRITE_REPLICAS, downMs: downMs(fault) };
      const figures = await runChaos(opts);
      process.stdout.write(`run ${run}: ${formatFigures(figures)}\n`);
      rows.push(row(figures, run));
      if (figures.violations.length) broken++;
    }
  }
  process.stdout.write(
    '| fault | REDIS_WRITE_REPLICAS | run | requests | 200 | 503 | lost | failure window ms | ' +
      'ready again ms | ready after end ms | slowest ms | promoted after ms | ' +
      'writes resumed after promotion ms | 200 while replica dead | missing on replica | ' +
      'violations |\n' +
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n',
  );
  process.stdout.write(`${rows.join('\n')}\n`);
  if (broken) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
