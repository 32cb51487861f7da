import {
  extractClientCredentials,
  requireCredentials,
} from '../../../src/auth/client-authenticator';
import { OAuthError } from '../../../src/oauth/errors';

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

  it('requireCredentials admits a secret-less client only where public clients are allowed', () => {
    const publicCaller = { clientId: 'a', method: 'none' as const };
    expect(requireCredentials(publicCaller, true)).toBe(publicCaller);
    expect(thrown(() => requireCredentials(publicCaller, false)).error).toBe('invalid_client');
    expect(thrown(() => requireCredentials(null, true)).error).toBe('invalid_client');
  });
});
