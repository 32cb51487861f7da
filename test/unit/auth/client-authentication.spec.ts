import {
  ClientAuthenticator,
  parseClientCredentials as extractClientCredentials,
} from '../../../src/auth/client-authentication';
import { OAuthError } from '../../../src/auth/errors';
import type { ClientsService } from '../../../src/clients/clients.service';
import type { OAuthClient, TokenEndpointAuthMethod } from '../../../src/clients/client.types';
import type { RateLimitService } from '../../../src/ratelimit/rate-limit.service';
import { RateLimitedError } from '../../../src/redis/rate-limit';

/** RFC 6749 section 2.3.1: form-urlencode id and secret, then Basic-encode. */
const basic = (id: string, secret: string) => {
  const enc = (v: string) => new URLSearchParams({ v }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
};

function thrown(fn: () => unknown): OAuthError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuthError) return err;
    throw err;
  }
  throw new Error('expected an OAuthError');
}

describe('client credentials extraction (RFC 6749 section 2.3.1)', () => {
  it('form-decodes Basic credentials', () => {
    expect(extractClientCredentials(basic('my client', 's:e+c%r/et é'), {})).toEqual({
      clientId: 'my client',
      clientSecret: 's:e+c%r/et é',
      method: 'client_secret_basic',
    });
  });

  it('reads body credentials (client_secret_post) and client_id alone (none)', () => {
    expect(extractClientCredentials(undefined, { client_id: 'a', client_secret: 'b' })).toEqual({
      clientId: 'a',
      clientSecret: 'b',
      method: 'client_secret_post',
    });
    expect(extractClientCredentials(undefined, { client_id: 'a' })).toEqual({
      clientId: 'a',
      method: 'none',
    });
  });

  it('returns null when no client is named, and ignores non-Basic schemes', () => {
    expect(extractClientCredentials(undefined, {})).toBeNull();
    expect(extractClientCredentials('Bearer abc', {})).toBeNull();
  });

  it('rejects Basic combined with a body secret as invalid_request', () => {
    const err = thrown(() => extractClientCredentials(basic('a', 'b'), { client_secret: 'b' }));
    expect(err.error).toBe('invalid_request');
  });

  it('accepts a body client_id equal to the Basic one, rejects a different one', () => {
    expect(extractClientCredentials(basic('a', 'b'), { client_id: 'a' })?.clientId).toBe('a');
    expect(thrown(() => extractClientCredentials(basic('a', 'b'), { client_id: 'c' })).error).toBe(
      'invalid_request',
    );
  });

  it.each([
    'Basic',
    'Basic !!!',
    `Basic ${Buffer.from('no-colon').toString('base64')}`,
    `Basic ${Buffer.from(':x').toString('base64')}`,
  ])('rejects malformed Basic credentials %p as invalid_client', (header) => {
    expect(thrown(() => extractClientCredentials(header, {})).error).toBe('invalid_client');
  });
});

describe('ClientAuthenticator (one client authentication for token, introspection, revocation)', () => {
  const client = (method: TokenEndpointAuthMethod): OAuthClient => ({
    id: 'a',
    name: 'a',
    type: method === 'none' ? 'public' : 'confidential',
    tokenEndpointAuthMethod: method,
    resourceServer: false,
    requirePkce: true,
    generation: 'g',
    redirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: [],
    cacheServices: [],
    createdAt: '',
    updatedAt: '',
  });
  const IP = '192.0.2.1';
  /** IPs charged for failed authentications; refuses once `refuseAfter` were charged. */
  let charged: string[] = [];
  let refuseAfter = Infinity;
  const limiter = {
    failedClientAuthentication: async (ip: string) => {
      charged.push(ip);
      if (charged.length > refuseAfter) {
        const charge = { scope: 'ip', subject: ip, limit: refuseAfter, windowMs: 60_000 } as const;
        throw new RateLimitedError(charge, 1500);
      }
    },
  } as unknown as RateLimitService;
  beforeEach(() => {
    charged = [];
    refuseAfter = Infinity;
  });
  /** A registry that knows client `a` with secret `b` (or no secret for method none). */
  const authenticatorFor = (registered: OAuthClient) =>
    new ClientAuthenticator(
      {
        authenticate: async (id: string, secret?: string) =>
          id === registered.id &&
          (registered.tokenEndpointAuthMethod === 'none' ? secret === undefined : secret === 'b')
            ? registered
            : null,
      } as unknown as ClientsService,
      limiter,
    );
  const rejection = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (err) {
      if (err instanceof OAuthError) return [err.error, err.description];
      throw err;
    }
    throw new Error('expected a rejection');
  };

  it('admits a client with its registered method', async () => {
    const auth = authenticatorFor(client('client_secret_basic'));
    await expect(auth.authenticate(basic('a', 'b'), {}, 'token', IP)).resolves.toMatchObject({
      id: 'a',
    });
  });

  it('refuses a method other than the one registered, even with the right secret', async () => {
    const auth = authenticatorFor(client('client_secret_basic'));
    expect(
      await rejection(
        auth.authenticate(undefined, { client_id: 'a', client_secret: 'b' }, 'token', IP),
      ),
    ).toEqual([
      'invalid_client',
      'Invalid client: this client must authenticate with client_secret_basic',
    ]);
  });

  it('refuses a wrong secret and an unknown client alike', async () => {
    const auth = authenticatorFor(client('client_secret_basic'));
    const failed = ['invalid_client', 'Invalid client: client authentication failed'];
    expect(await rejection(auth.authenticate(basic('a', 'x'), {}, 'token', IP))).toEqual(failed);
    expect(await rejection(auth.authenticate(basic('z', 'b'), {}, 'token', IP))).toEqual(failed);
  });

  it('admits a public client by client_id at revocation, never at introspection', async () => {
    const auth = authenticatorFor(client('none'));
    await expect(
      auth.authenticate(undefined, { client_id: 'a' }, 'revocation', IP),
    ).resolves.toMatchObject({
      id: 'a',
    });
    expect(
      await rejection(auth.authenticate(undefined, { client_id: 'a' }, 'introspection', IP)),
    ).toEqual(['invalid_client', 'Invalid client: this endpoint requires client authentication']);
  });

  it('requires some credentials', async () => {
    const auth = authenticatorFor(client('client_secret_basic'));
    expect(await rejection(auth.authenticate(undefined, {}, 'token', IP))).toEqual([
      'invalid_client',
      'Invalid client: client authentication is required',
    ]);
  });

  it("charges the caller's IP for each failed authentication, never for a success", async () => {
    const auth = authenticatorFor(client('client_secret_basic'));
    await auth.authenticate(basic('a', 'b'), {}, 'token', IP);
    expect(charged).toEqual([]);
    await rejection(auth.authenticate(basic('a', 'x'), {}, 'token', IP));
    await rejection(auth.authenticate(undefined, {}, 'introspection', '198.51.100.7'));
    expect(charged).toEqual([IP, '198.51.100.7']);
  });

  it('answers the limiter refusal instead of invalid_client once the IP is over its limit', async () => {
    const auth = authenticatorFor(client('client_secret_basic'));
    refuseAfter = 1;
    expect(await rejection(auth.authenticate(basic('a', 'x'), {}, 'token', IP))).toEqual([
      'invalid_client',
      'Invalid client: client authentication failed',
    ]);
    await expect(auth.authenticate(basic('a', 'x'), {}, 'token', IP)).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });
});
