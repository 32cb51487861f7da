/** IPC messages between bench/run.ts (parent) and bench/server.ts (child). Types only. */

/** Sent by the server once it listens and the benchmark client exists. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** tollgate only: a client with `cache:read`, `cache:write` and the service cache namespace
   * `service` in its cache_services, for the cache routes (bench/cache-routes.ts). */
  readonly cacheClient?: { readonly id: string; readonly secret: string; readonly service: string };
}

/** The server's answer to a `memory` request, in bytes. */
export interface MemoryMessage {
  readonly type: 'memory';
  readonly rss: number;
  /** Peak RSS (VmHWM from /proc/self/status), 0 where /proc is absent. */
  readonly peakRss: number;
  readonly heapUsed: number;
  /** Heap used after a full GC (equals heapUsed if the server lacks --expose-gc). */
  readonly liveHeap: number;
}

/** The server's process.cpuUsage(), in microseconds since it started. */
export interface CpuMessage {
  readonly type: 'cpu';
  readonly user: number;
  readonly system: number;
}

export type ServerMessage = ReadyMessage | MemoryMessage | CpuMessage;

export interface ParentMessage {
  readonly type: 'memory' | 'cpu';
}
