import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OAuthClient } from '../../../src/clients/client.types';
import { ClientsService } from '../../../src/clients/clients.service';
import { useTopology } from '../../support/redis-topology';
import { eventually, RunningApp, startApp } from '../../support/test-app';

const topology = useTopology({ mode: 'standalone' });
const SECRET = 'bootstrap-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

const declared = {
  clients: [
    {
      client_id: 'billing',
      client_secret: SECRET,
      name: 'Billing',
      type: 'confidential',
      grant_types: ['client_credentials'],
      scopes: ['cache:read', 'cache:write'],
      access_token_ttl_seconds: 300,
    },
    {
      client_id: 'spa',
      name: 'SPA',
      type: 'public',
      redirect_uris: ['https://spa.example.com/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid'],
    },
  ],
};

function writeFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tollgate-clients-')), 'clients.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Starts the app with the file, waits until both declared clients exist, returns them. */
async function startAndRead(
  file: string,
): Promise<{ running: RunningApp; clients: OAuthClient[] }> {
  const running = await startApp({ ...topology().env(), CLIENTS_BOOTSTRAP_FILE: file });
  const service = running.app.get(ClientsService);
  await eventually(async () => (await service.list()).length === 2, 10_000, 'bootstrap clients');
  return { running, clients: await service.list() };
}

describe('clients bootstrap file', () => {
  it('creates the declared clients at start-up and re-applying it changes nothing', async () => {
    const file = writeFile(declared);
    const first = await startAndRead(file);
    const service = first.running.app.get(ClientsService);
    expect(await service.authenticate('billing', SECRET)).not.toBeNull();
    expect(await service.authenticate('spa', undefined)).not.toBeNull();
    await first.running.close();

    await new Promise((r) => setTimeout(r, 20)); // a bumped updatedAt would differ
    const second = await startAndRead(file);
    try {
      // Same records, same timestamps: nothing was rewritten.
      expect(second.clients).toEqual(first.clients);
      const again = second.running.app.get(ClientsService);
      expect(await again.authenticate('billing', SECRET)).not.toBeNull();
    } finally {
      await second.running.close();
    }
  });

  it('applies a changed declaration on the next start, bumping updatedAt of that client only', async () => {
    const changed = structuredClone(declared);
    changed.clients[1].name = 'SPA v2';
    const before = await startAndRead(writeFile(declared));
    await before.running.close();
    const after = await startAndRead(writeFile(changed));
    try {
      const byId = (list: OAuthClient[], id: string) => list.find((c) => c.id === id)!;
      expect(byId(after.clients, 'spa').name).toBe('SPA v2');
      expect(byId(after.clients, 'spa').updatedAt).not.toBe(byId(before.clients, 'spa').updatedAt);
      expect(byId(after.clients, 'billing')).toEqual(byId(before.clients, 'billing'));
    } finally {
      await after.running.close();
    }
  });

  it('does not block start-up on Redis and applies the file once Redis answers', async () => {
    const port = Number(new URL(topology().redisUrl()).port);
    topology().pauseNode(port); // frozen: connections hang, nothing is ready
    let running: RunningApp | undefined;
    try {
      const file = writeFile({ clients: [{ ...declared.clients[1], client_id: 'late' }] });
      running = await startApp({ ...topology().env(), CLIENTS_BOOTSTRAP_FILE: file });
      const service = running.app.get(ClientsService);
      topology().resumeNode(port);
      await eventually(async () => (await service.get('late')) !== null, 20_000, 'late bootstrap');
    } finally {
      topology().resumeNode(port);
      await running?.close();
    }
  });

  it('refuses to start with a malformed file, naming the problem', async () => {
    const file = writeFile({
      clients: [
        { client_id: 'x', name: 'X', type: 'public', grant_types: ['implicit'], scopes: [] },
      ],
    });
    await expect(startApp({ ...topology().env(), CLIENTS_BOOTSTRAP_FILE: file })).rejects.toThrow(
      /CLIENTS_BOOTSTRAP_FILE .*clients\.json is invalid:[\s\S]*grant_types/,
    );
  });
});
