/**
 * Timing-safe secret checks, asserted structurally instead of by the clock: every comparison
 * of a presented secret with an expected one goes through crypto.timingSafeEqual (or the
 * password KDF, which ends in it), and the paths an attacker can tell apart by their input
 * (unknown client id, public client, missing secret, wrong secret) cost the same hashing and
 * comparing work. Token, code and session lookups compare nothing: they are by SHA-256
 * digest as the Redis key. PKCE verifiers only reach the store as their S256 challenge.
 */
import crypto from 'node:crypto';
import { Interactions } from '../../../src/auth/authorize/interactions';
import { bindingDigest, csrfToken } from '../../../src/auth/authorize/browser-binding';
import type { InteractionStore } from '../../../src/auth/authorize/interaction.store';
import { ClientsService } from '../../../src/clients/clients.service';
import { loadConfig } from '../../../src/config/load-config';
import { logoutToken, logoutTokenMatches } from '../../../src/interaction/logout-token';
import { PlainLogin } from '../../../src/interaction/plain-login';
import { StaticBearerCredential } from '../../../src/security/secrets';
import { PasswordHasher } from '../../../src/users/password-hasher';
import type { Counter } from 'prom-client';
import type { AppConfig } from '../../../src/config/app-config';
import type { CodeStore } from '../../../src/tokens/code.store';
import { pkceChallenge } from '../../../src/tokens/token-crypto';
import type { TokenStore } from '../../../src/tokens/token.store';
import type { CodeRedemption } from '../../../src/tokens/token.types';
import { TokensService } from '../../../src/tokens/tokens.service';
import { InMemoryClientStore } from '../clients/in-memory-client.store';

const config = loadConfig({ PASSWORD_SCRYPT_N: '1024' });
let compare: jest.SpyInstance;
let hash: jest.SpyInstance;

beforeEach(() => {
  compare = jest.spyOn(crypto, 'timingSafeEqual');
  hash = jest.spyOn(crypto, 'createHash');
});
afterEach(() => jest.restoreAllMocks());

/** The hashing and comparing work `run` does, as calls to createHash and timingSafeEqual. */
async function work(run: () => unknown): Promise<{ hashes: number; compares: number }> {
  compare.mockClear();
  hash.mockClear();
  await run();
  return { hashes: hash.mock.calls.length, compares: compare.mock.calls.length };
}

describe('client authentication (ClientsService.authenticate)', () => {
  async function registry() {
    const service = new ClientsService(new InMemoryClientStore(), config);
    const base = { grantTypes: ['client_credentials' as const], scopes: ['cache:read'] };
    const confidential = await service.create({ ...base, name: 'c', type: 'confidential' });
    const pub = await service.create({
      name: 'p',
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://spa.example.com/cb'],
      scopes: ['openid'],
    });
    return { service, id: confidential.client.id, secret: confidential.clientSecret!, pub };
  }

  it('compares the secret with timingSafeEqual, and accepts only the right one', async () => {
    const { service, id, secret } = await registry();
    expect(await service.authenticate(id, secret)).not.toBeNull();
    expect(compare).toHaveBeenCalled();
    expect(await service.authenticate(id, `${secret.slice(0, -1)}x`)).toBeNull();
  });

  it('costs an unknown client id, a public client, a missing and a wrong secret the same work', async () => {
    const { service, id, secret, pub } = await registry();
    const wrong = 'W'.repeat(43);
    const paths = {
      rightSecret: await work(() => service.authenticate(id, secret)),
      wrongSecret: await work(() => service.authenticate(id, wrong)),
      missingSecret: await work(() => service.authenticate(id, undefined)),
      unknownClient: await work(() => service.authenticate('no-such-client', wrong)),
      unknownClientNoSecret: await work(() => service.authenticate('no-such-client', undefined)),
      publicWithSecret: await work(() => service.authenticate(pub.client.id, wrong)),
    };
    console.log('client authentication work per path', paths);
    for (const cost of Object.values(paths)) expect(cost).toEqual(paths.wrongSecret);
    expect(paths.wrongSecret.compares).toBeGreaterThan(0);
  });

  it('compares against the previous secret as well, also when there is none', async () => {
    const { service, id, secret } = await registry();
    const before = await work(() => service.authenticate(id, 'W'.repeat(43)));
    await service.rotateSecret(id, { graceSeconds: 60 });
    const after = await work(() => service.authenticate(id, 'W'.repeat(43)));
    expect(after).toEqual(before);
    expect(await service.authenticate(id, secret)).not.toBeNull(); // within the grace period
  });
});

describe('the admin credential (ADMIN_TOKEN)', () => {
  it('compares in constant time whatever the presented length', async () => {
    const admin = new StaticBearerCredential('a'.repeat(40));
    const short = await work(() => admin.accepts('Bearer x'));
    const near = await work(() => admin.accepts(`Bearer ${'a'.repeat(39)}b`));
    const long = await work(() => admin.accepts(`Bearer ${'a'.repeat(400)}`));
    expect(near.compares).toBe(1);
    expect(short).toEqual(near);
    expect(long).toEqual(near);
  });
});

describe('CSRF tokens and the browser binding', () => {
  const binding = 'B'.repeat(43);
  const id = 'I'.repeat(43);
  const store: InteractionStore = {
    save: jest.fn(),
    complete: jest.fn(),
    find: () =>
      Promise.resolve({
        request: {} as never,
        createdAtMs: Date.now(),
        bindingDigest: bindingDigest(binding),
      }),
  };
  const interactions = new Interactions(store, config);

  it('checks the binding cookie and the form token of an interaction with timingSafeEqual', async () => {
    const token = csrfToken(id, binding);
    const good = await work(() => interactions.load(id, binding, { presented: token }));
    expect(good.compares).toBe(2);
    const wrongToken = await work(() =>
      interactions.load(id, binding, { presented: 'x' }).catch(() => undefined),
    );
    expect(wrongToken).toEqual(good);
    const wrongBinding = await work(() =>
      interactions.load(id, 'C'.repeat(43), { presented: 'x' }).catch(() => undefined),
    );
    expect(wrongBinding.compares).toBe(1);
  });

  it('checks the plain login form token with timingSafeEqual', async () => {
    const plain = new PlainLogin(config);
    const { csrf } = plain.start(binding);
    const right = await work(() => plain.check(binding, csrf));
    const wrong = await work(() => {
      expect(() => plain.check(binding, `${csrf.slice(0, -1)}x`)).toThrow();
    });
    expect(right.compares).toBe(1);
    expect(wrong).toEqual(right);
  });

  it('checks the logout form token with timingSafeEqual, the same for any length', async () => {
    const session = 'S'.repeat(43);
    const token = logoutToken(session);
    const right = await work(() => expect(logoutTokenMatches(session, token)).toBe(true));
    const wrong = await work(() => expect(logoutTokenMatches(session, 'x')).toBe(false));
    expect(right.compares).toBe(1);
    expect(wrong).toEqual(right);
  });
});

describe('passwords', () => {
  it('end in timingSafeEqual after the KDF, also for a malformed stored hash', async () => {
    const hasher = new PasswordHasher(config);
    const stored = await hasher.hash('correct horse');
    for (const [password, against] of [
      ['correct horse', stored],
      ['wrong', stored],
      ['wrong', 'not-a-hash'],
    ]) {
      compare.mockClear();
      const runs = hasher.kdfRuns;
      await hasher.verify(password, against);
      expect(compare).toHaveBeenCalledTimes(1);
      expect(hasher.kdfRuns).toBe(runs + 1);
    }
  });
});

describe('PKCE', () => {
  it('hands the store only the S256 challenge of the verifier, never the verifier', async () => {
    const counter = () => ({ inc: jest.fn() }) as unknown as Counter<string>;
    const redeemCode = jest.fn().mockResolvedValue({ scope: ['openid'], userId: 'u' });
    const tokens = new TokensService(
      {} as TokenStore,
      { redeemCode } as unknown as CodeStore,
      { oauth: { refreshTokenAbsoluteTtlSeconds: 1000 } } as AppConfig,
      counter(),
      counter(),
      counter(),
      counter(),
      counter(),
    );
    const verifier = 'v'.repeat(43);
    await tokens.redeemAuthorizationCode('c'.repeat(43), {
      client: { id: 'app', generation: 'g', scopes: ['openid'] },
      redirectUri: 'https://app.example.com/cb',
      codeVerifier: verifier,
      accessTtlSeconds: 60,
      refreshTtlSeconds: 0,
    } as CodeRedemption);
    const [call] = redeemCode.mock.calls[0] as [Record<string, unknown>];
    expect(call.verifierChallenge).toBe(pkceChallenge(verifier));
    expect(JSON.stringify(call)).not.toContain(verifier);
  });
});
