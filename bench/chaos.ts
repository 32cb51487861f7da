/**
 * `npm run chaos`: the failover chaos scenario of the integration suite
 * (test/integration/chaos/chaos-scenario.ts), repeated. CHAOS_RUNS (default 5) runs of each
 * fault in CHAOS_FAULTS (default kill,freeze) with REDIS_WRITE_REPLICAS from the environment
 * (default 1; 0, 1 or 2 with the two replicas here); prints one line per run and a table.
 * Exits 1 if any run broke an invariant (docs/reliability.md, "Chaos scenario").
 */
import {
  ChaosFigures,
  Fault,
  formatFigures,
  runChaos,
} from '../test/integration/chaos/chaos-scenario';

const RUNS = Number(process.env.CHAOS_RUNS ?? 5);
const WRITE_REPLICAS = Number(process.env.REDIS_WRITE_REPLICAS ?? 1);
const FAULTS = (process.env.CHAOS_FAULTS ?? 'kill,freeze').split(',') as Fault[];

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
    f.slowestMs,
    f.violations.length ? f.violations.join('; ') : 'none',
  ];
  return `| ${cells.join(' | ')} |`;
}

async function main(): Promise<void> {
  const rows: string[] = [];
  let broken = 0;
  for (const fault of FAULTS) {
    for (let run = 1; run <= RUNS; run++) {
      const figures = await runChaos({ fault, writeReplicas: WRITE_REPLICAS });
      process.stdout.write(`run ${run}: ${formatFigures(figures)}\n`);
      rows.push(row(figures, run));
      if (figures.violations.length) broken++;
    }
  }
  process.stdout.write(
    '| fault | REDIS_WRITE_REPLICAS | run | requests | 200 | 503 | lost | failure window ms | ' +
      'ready again ms | slowest ms | violations |\n|---|---|---|---|---|---|---|---|---|---|---|\n',
  );
  process.stdout.write(`${rows.join('\n')}\n`);
  if (broken) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
