/**
 * The cleanup schedule survives real Sentinel failovers: after a kill -9 of the master and
 * after a master frozen with SIGSTOP for 10 s (a hang, not a closed socket), ticks keep
 * running on the new master without a restart, through the watchdog if the worker died.
 */
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';
import { FAST_JOBS, recordRuns, sleep } from './jobs-harness';

describe('cleanup jobs across a Sentinel failover', () => {
  const topology = useTopology({ mode: 'sentinel' });
  let running: RunningApp | undefined;
  let runs: ReturnType<typeof recordRuns> = [];

  beforeEach(async () => {
    running = await startApp({ ...topology().env(), ...FAST_JOBS });
    runs = recordRuns([running]);
    await eventually(() => runs.length >= 2, 20_000, 'the first ticks');
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  /** Waits for 3 token-cleanup runs after `sinceMs`; returns how long the first took. */
  async function ticksResume(sinceMs: number): Promise<number> {
    const after = () => runs.filter((r) => r.name === 'token-cleanup' && r.at > sinceMs);
    await eventually(() => after().length >= 3, 45_000, 'three ticks after the failover');
    return after()[0].at - sinceMs;
  }

  it('keeps ticking after the master is killed (kill -9)', async () => {
    const oldMaster = await topology().killMaster('SIGKILL');
    const killedAt = Date.now();
    await topology().waitForFailover(oldMaster);
    const resumedAfterMs = await ticksResume(killedAt);
    process.stdout.write(`jobs, kill -9 of the master: first tick ${resumedAfterMs} ms after\n`);
    // Bring the killed node back as a replica, for the next test's failover.
    await topology().restartNode(oldMaster.port);
    await topology().waitReplicaInSync(
      topology().dataNodes.find((n) => n.port === oldMaster.port)!,
    );
  });

  it('keeps ticking after the master is frozen with SIGSTOP for 10 s', async () => {
    const master = await topology().currentMaster();
    topology().pauseNode(master.port);
    const frozenAt = Date.now();
    try {
      await topology().waitForFailover(master);
      await sleep(Math.max(0, 10_000 - (Date.now() - frozenAt)));
    } finally {
      topology().resumeNode(master.port);
    }
    const resumedAfterMs = await ticksResume(frozenAt);
    process.stdout.write(`jobs, master frozen 10 s: first tick ${resumedAfterMs} ms after\n`);
  });
});
