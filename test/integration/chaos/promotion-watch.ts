/**
 * When a replica became master after a kill or freeze of the master: polls every data node
 * but the old master (INFO replication, every 20 ms) from the fault on. The chaos figures
 * measure from it how long after the promotion writes resumed (issue 12: within 0.5 s).
 */
import Redis from 'ioredis';
import type { NodeAddress, RedisTopology } from '../../../src/dev/redis-topology';

const POLL_MS = 20;

export class PromotionWatch {
  private promotedAt: number | undefined;
  private stopped = false;
  private readonly clients: Redis[];
  private readonly done: Promise<void>;

  constructor(topology: RedisTopology, oldMaster: NodeAddress) {
    this.clients = topology.dataNodes
      .filter((n) => n.port !== oldMaster.port)
      .map(
        (n) =>
          new Redis({
            host: '127.0.0.1',
            port: n.port,
            lazyConnect: true,
            maxRetriesPerRequest: 0,
            commandTimeout: 500,
            retryStrategy: () => 50,
          }),
      );
    for (const c of this.clients) c.on('error', () => undefined);
    this.done = this.poll();
  }

  /** Milliseconds since the epoch at which a replica first answered role:master, if any. */
  async stop(): Promise<number | undefined> {
    this.stopped = true;
    await this.done;
    for (const c of this.clients) c.disconnect();
    return this.promotedAt;
  }

  private async poll(): Promise<void> {
    while (!this.stopped && this.promotedAt === undefined) {
      const roles = await Promise.all(
        this.clients.map((c) => c.info('replication').catch(() => '')),
      );
      if (roles.some((info) => /^role:master/m.test(info))) this.promotedAt = Date.now();
      else await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
