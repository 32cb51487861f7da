/**
 * Where the CPU went during a run, in cores (1.0 = one core busy for the whole run). On a
 * small machine the server, autocannon and Redis compete for the same cores, so a number
 * means little without knowing whether the server's core, or the whole machine, was full.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface CpuShare {
  /** The server process. */
  readonly server: number;
  /** This process: autocannon (and a little of the harness). */
  readonly loadGenerator: number;
  /** Everything else that ran: the Redis nodes, and whatever else the machine was doing. */
  readonly other: number;
  /** Cores the hypervisor took away (steal); NaN where unknown. */
  readonly steal: number;
  /** All cores, busy fraction 0..1. */
  readonly machineBusy: number;
  /** CPU time the server process used during the sample, in microseconds (user + system). */
  readonly serverMicros: number;
}

interface MachineTimes {
  readonly busy: number;
  readonly steal: number;
  readonly total: number;
}

/**
 * Linux: the aggregate line of /proc/stat (user nice system idle iowait irq softirq steal),
 * which, unlike os.cpus(), has softirq (loopback networking) and steal (time the hypervisor
 * gave our vCPUs to someone else: on a shared VM the biggest source of noise).
 */
function machineTimes(): MachineTimes {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const busy = user + nice + system + irq + softirq;
    return { busy, steal, total: busy + idle + iowait + steal };
  } catch {
    let busy = 0;
    let total = 0;
    for (const { times } of os.cpus()) {
      busy += times.user + times.nice + times.sys + times.irq;
      total += times.user + times.nice + times.sys + times.irq + times.idle;
    }
    return { busy, steal: Number.NaN, total };
  }
}

/** Starts a sample; the returned function ends it. `serverMicros` reads the server's CPU time. */
export async function sampleCpu(
  serverMicros: () => Promise<number>,
): Promise<() => Promise<CpuShare>> {
  const server = await serverMicros();
  const self = process.cpuUsage();
  const machine = machineTimes();
  const started = process.hrtime.bigint();
  return async () => {
    const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
    const serverUsed = (await serverMicros()) - server;
    const selfUsage = process.cpuUsage(self);
    const now = machineTimes();
    const ticks = Math.max(1, now.total - machine.total);
    const machineBusy = (now.busy - machine.busy) / ticks;
    const cpus = os.cpus().length;
    const cores = (micros: number): number => micros / wallMicros;
    const serverCores = cores(serverUsed);
    const generatorCores = cores(selfUsage.user + selfUsage.system);
    return {
      server: serverCores,
      loadGenerator: generatorCores,
      other: Math.max(0, machineBusy * cpus - serverCores - generatorCores),
      steal: ((now.steal - machine.steal) / ticks) * cpus,
      machineBusy,
      serverMicros: serverUsed,
    };
  };
}
