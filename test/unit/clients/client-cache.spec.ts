import { ClientCache, MAX_CACHED_UNKNOWN_IDS } from '../../../src/clients/client-cache';
import type { ClientRecord } from '../../../src/clients/client.store';
import type { CreateClientInput } from '../../../src/clients/client.types';
import { ClientsService } from '../../../src/clients/clients.service';
import { loadConfig } from '../../../src/config/load-config';
import { InMemoryClientStore } from './in-memory-client.store';

const billing: CreateClientInput = {
  id: 'billing',
  name: 'Billing',
  type: 'confidential',
  grantTypes: ['client_credentials'],
  scopes: ['cache:read'],
};

/** Two instances (services with their own caches) sharing one store, like pods on one Redis. */
function setup(ttlMs = 5000, store = new InMemoryClientStore()) {
  const config = loadConfig({ CLIENT_CACHE_TTL_MS: String(ttlMs) });
  return { store, a: new ClientsService(store, config), b: new ClientsService(store, config) };
}

describe('client cache (ClientsService.get / authenticate)', () => {
  afterEach(() => jest.useRealTimers());

  it('answers a cached client without reading the store again', async () => {
    const { store, a, b } = setup();
    const { clientSecret } = await b.create(billing);
    expect(await a.authenticate('billing', clientSecret)).not.toBeNull();
    const reads = store.finds;
    expect(await a.authenticate('billing', clientSecret)).not.toBeNull();
    expect(await a.get('billing')).toMatchObject({ name: 'Billing' });
    expect(store.finds).toBe(reads);
  });

  it('sees an update, a rotation and a deletion by another instance as soon as it is announced', async () => {
    const { a, b } = setup();
    const { clientSecret: old } = await b.create(billing);
    expect(await a.authenticate('billing', old)).not.toBeNull();
    await b.update('billing', { name: 'Renamed' });
    expect(await a.get('billing')).toMatchObject({ name: 'Renamed' });
    await b.rotateSecret('billing', { graceSeconds: 0 });
    expect(await a.authenticate('billing', old)).toBeNull();
    await b.delete('billing');
    expect(await a.get('billing')).toBeNull();
  });

  it('serves a record at most CLIENT_CACHE_TTL_MS old when its announcement is lost', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const { store, a, b } = setup(5000);
    await b.create(billing);
    expect(await a.get('billing')).toMatchObject({ name: 'Billing' });
    const record = store.records.get('billing') as ClientRecord;
    store.records.set('billing', { ...record, name: 'Changed silently' });
    jest.advanceTimersByTime(4999);
    expect(await a.get('billing')).toMatchObject({ name: 'Billing' });
    jest.advanceTimersByTime(2);
    expect(await a.get('billing')).toMatchObject({ name: 'Changed silently' });
  });

  it('remembers an unknown id briefly (1 s at most) and forgets it when the id is created', async () => {
    jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
    const { store, a, b } = setup(5000);
    expect(await a.get('billing')).toBeNull();
    const reads = store.finds;
    expect(await a.get('billing')).toBeNull();
    expect(store.finds).toBe(reads);
    jest.advanceTimersByTime(1001);
    expect(await a.get('billing')).toBeNull();
    expect(store.finds).toBe(reads + 1);
    await b.create(billing);
    expect(await a.get('billing')).toMatchObject({ id: 'billing' });
  });

  it('reads the store while announcements are down, and drops everything when they resume', async () => {
    const { store, a, b } = setup();
    await b.create(billing);
    await a.get('billing');
    store.setLive(false);
    const reads = store.finds;
    await a.get('billing');
    await a.get('billing');
    expect(store.finds).toBe(reads + 2);
    const record = store.records.get('billing') as ClientRecord;
    store.records.set('billing', { ...record, name: 'Changed while down' });
    store.setLive(true);
    expect(await a.get('billing')).toMatchObject({ name: 'Changed while down' });
  });

  it('does not keep a record that was read before a change announced during the read', async () => {
    const store = new SlowStore();
    const { a, b } = setup(5000, store);
    await b.create(billing);
    store.holdNextRead();
    const stale = a.get('billing');
    await b.update('billing', { name: 'Renamed' });
    store.release();
    expect(await stale).toMatchObject({ name: 'Billing' });
    expect(await a.get('billing')).toMatchObject({ name: 'Renamed' });
  });

  it('reads the store every time and never listens when CLIENT_CACHE_TTL_MS is 0', async () => {
    const { store, a, b } = setup(0);
    await b.create(billing);
    const reads = store.finds;
    await a.get('billing');
    await a.get('billing');
    expect(store.finds).toBe(reads + 2);
    expect(store.listeners.size).toBe(0);
  });

  it('bounds the memory a flood of unknown ids can take', async () => {
    const cache = new ClientCache(5000);
    cache.live(true);
    let loads = 0;
    const load = async () => {
      loads++;
      return null;
    };
    for (let i = 0; i <= MAX_CACHED_UNKNOWN_IDS; i++) await cache.lookup(`id-${i}`, load);
    await cache.lookup(`id-${MAX_CACHED_UNKNOWN_IDS}`, load);
    expect(loads).toBe(MAX_CACHED_UNKNOWN_IDS + 1);
    await cache.lookup('id-0', load);
    expect(loads).toBe(MAX_CACHED_UNKNOWN_IDS + 2);
  });
});

/** A store whose next read can be held back, to interleave a write with a read in flight. */
class SlowStore extends InMemoryClientStore {
  private hold = false;
  release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  holdNextRead(): void {
    this.hold = true;
  }

  override async find(id: string): Promise<ClientRecord | null> {
    if (!this.hold) return super.find(id);
    this.hold = false;
    const record = await super.find(id);
    await this.gate;
    return record;
  }
}
