/**
 * Runs Debian's prometheus-redis-exporter (when installed) on a free loopback port in
 * multi-target mode: GET /scrape?target=redis://host:port scrapes that Redis node or
 * Sentinel. Tracked by PID and stopped by stop().
 */
import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { freePorts, LOOPBACK } from '../../src/dev/redis-process';
import { eventually } from './test-app';

/** Absolute path of an executable on PATH, or undefined. */
export function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const EXPORTER_BINARY = findBinary('prometheus-redis-exporter');

export class RedisExporter {
  private constructor(
    private readonly child: ChildProcess,
    /** host:port the exporter listens on. */
    readonly address: string,
  ) {}

  static async start(binary: string): Promise<RedisExporter> {
    const [port] = await freePorts(1);
    const address = `${LOOPBACK}:${port}`;
    // -redis.addr '': no default target; every scrape names its target.
    const child = spawn(binary, ['-web.listen-address', address, '-redis.addr', ''], {
      stdio: 'ignore',
    });
    const exporter = new RedisExporter(child, address);
    try {
      await eventually(async () => (await fetch(`http://${address}/`)).ok, 10_000, 'exporter up');
    } catch (err) {
      await exporter.stop();
      throw err;
    }
    return exporter;
  }

  async scrape(target: string): Promise<string> {
    const res = await fetch(`http://${this.address}/scrape?target=${encodeURIComponent(target)}`);
    if (!res.ok) throw new Error(`exporter scrape of ${target} answered ${res.status}`);
    return res.text();
  }

  /** SIGTERM by PID; resolves once the process has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.pid) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    process.kill(this.child.pid, 'SIGTERM');
    await exited;
  }
}
