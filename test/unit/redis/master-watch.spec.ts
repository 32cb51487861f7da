import type { RedisConfig } from '../../../src/config/app-config';
import {
  countAcknowledgingReplicas,
  DurabilityMonitor,
  SHORTFALL_HOLD_MS,
} from '../../../src/redis/durability-monitor';
import { MasterWatch, parseSwitch, SWITCH_STEP_MS } from '../../../src/redis/master-watch';

const config = {
  mode: 'sentinel',
  masterName: 'tollgate',
  sentinels: [],
  retryBaseMs: 1000,
  retryMaxMs: 15000,
} as unknown as RedisConfig;

describe('MasterWatch', () => {
  it('parses +switch-master and +promoted-slave into old and new master', () => {
    expect(parseSwitch('+switch-master', 'tollgate 10.0.0.1 6379 10.0.0.2 6380')).toEqual({
      name: 'tollgate',
      from: { host: '10.0.0.1', port: 6379 },
      to: { host: '10.0.0.2', port: 6380 },
    });
    expect(
      parseSwitch('+promoted-slave', 'slave 10.0.0.2:6380 10.0.0.2 6380 @ tollgate 10.0.0.1 6379'),
    ).toEqual({
      name: 'tollgate',
      from: { host: '10.0.0.1', port: 6379 },
      to: { host: '10.0.0.2', port: 6380 },
    });
    expect(parseSwitch('+sdown', 'master tollgate 10.0.0.1 6379')).toBeNull();
  });

  it('backs off 1 s, 2 s ... while Redis is down, and steps 100 ms right after a switch', () => {
    let now = 0;
    const watch = new MasterWatch(config, () => now);
    expect([1, 2, 3].map((a) => watch.retryDelay(a))).toEqual([1000, 2000, 4000]);
    watch.onMessage('+switch-master', 'tollgate 10.0.0.1 6379 10.0.0.2 6380');
    expect(watch.retryDelay(2)).toBe(SWITCH_STEP_MS);
    now += 60_000;
    expect(watch.retryDelay(2)).toBe(2000);
  });

  it('answers for the old master with the new one while the switch is fresh', () => {
    let now = 0;
    const watch = new MasterWatch(config, () => now);
    watch.onMessage('+switch-master', 'other 10.0.0.1 6379 10.0.0.9 6380');
    expect(watch.redirect('10.0.0.1:6379')).toBeNull();
    watch.onMessage(
      '+promoted-slave',
      'slave 10.0.0.2:6380 10.0.0.2 6380 @ tollgate 10.0.0.1 6379',
    );
    expect(watch.redirect('10.0.0.1:6379')).toEqual({ host: '10.0.0.2', port: 6380 });
    expect(watch.redirect('10.0.0.2:6380')).toBeNull();
    now += 60_000;
    expect(watch.redirect('10.0.0.1:6379')).toBeNull();
  });
});

describe('MasterWatch following a switch', () => {
  /** A client as the watch sees it: status, socket address, and what it was asked to do. */
  function fakeClient(status: string, remote?: string) {
    const [host, port] = (remote ?? ':').split(':');
    const calls: string[] = [];
    const client = {
      status,
      stream: remote ? { remoteAddress: `::ffff:${host}`, remotePort: Number(port) } : undefined,
      reconnectTimeout: status === 'reconnecting' ? setTimeout(() => undefined, 60_000) : null,
      once: () => client,
      disconnect: (reconnect: boolean) => calls.push(`disconnect(${reconnect})`),
      connect: () => (calls.push('connect'), Promise.resolve()),
    };
    return { client, calls };
  }

  it('reconnects clients on the old master, kicks a backoff, and ignores a late +switch-master', () => {
    const watch = new MasterWatch(config);
    const onOld = fakeClient('ready', '10.0.0.1:6379');
    const onNew = fakeClient('ready', '10.0.0.2:6380');
    const waiting = fakeClient('reconnecting');
    for (const c of [onOld, onNew, waiting]) watch.track(c.client as never);
    watch.onMessage('+switch-master', 'tollgate 10.0.0.1 6379 10.0.0.2 6380');
    expect(onOld.calls).toEqual(['disconnect(true)']);
    expect(onNew.calls).toEqual([]);
    expect(waiting.calls).toEqual(['connect']);
    expect(waiting.client.reconnectTimeout).toBeNull();
    // Another Sentinel announces the same switch a second later: nothing to do.
    onOld.client.stream = { remoteAddress: '10.0.0.2', remotePort: 6380 };
    watch.onMessage('+switch-master', 'tollgate 10.0.0.1 6379 10.0.0.2 6380');
    expect(onOld.calls).toEqual(['disconnect(true)']);
    expect(onNew.calls).toEqual([]);
  });
});

describe('DurabilityMonitor', () => {
  const info = [
    '# Replication',
    'role:master',
    'connected_slaves:3',
    'slave0:ip=10.0.0.2,port=6379,state=online,offset=100,lag=0',
    'slave1:ip=10.0.0.3,port=6379,state=online,offset=90,lag=7',
    'slave2:ip=10.0.0.4,port=6379,state=wait_bgsave,offset=0,lag=0',
  ].join('\r\n');

  it('counts only online replicas whose last ACK is recent', () => {
    expect(countAcknowledgingReplicas(info)).toBe(1);
    expect(countAcknowledgingReplicas('role:master\r\nconnected_slaves:0')).toBe(0);
  });

  it('refuses while the probe sees too few replicas, and for a hold after a short WAIT', async () => {
    let now = 0;
    let reply = info;
    const master = { status: 'ready', info: async () => reply };
    const monitor = new DurabilityMonitor(1, master as never, undefined, () => now);
    expect(monitor.refusal()).toBeNull();
    await monitor.probe();
    expect(monitor.report()).toMatchObject({ connected_replicas: 1, satisfiable: true });
    monitor.noteWait(0);
    expect(monitor.refusal()).toMatch(/last WAIT counted 0 of 1/);
    now += SHORTFALL_HOLD_MS;
    expect(monitor.refusal()).toBeNull();
    reply = 'role:master\r\nconnected_slaves:0';
    await monitor.probe();
    expect(monitor.refusal()).toMatch(/0 of 1 required replicas/);
    expect(monitor.report()).toMatchObject({
      required: 1,
      connected_replicas: 0,
      satisfiable: false,
    });
  });

  it('is always satisfiable with durability off', () => {
    const monitor = new DurabilityMonitor(0, { status: 'ready' } as never);
    expect(monitor.report()).toEqual({
      required: 0,
      connected_replicas: null,
      satisfiable: true,
      reason: null,
    });
  });

  it('refuses nothing while the replica count is unknown', async () => {
    const monitor = new DurabilityMonitor(1, { status: 'reconnecting' } as never);
    await monitor.probe();
    expect(monitor.refusal()).toBeNull();
    expect(monitor.report()).toMatchObject({ connected_replicas: null, satisfiable: false });
  });
});
