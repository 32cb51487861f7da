import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClientsBootstrapFileError,
  readBootstrapFile,
} from '../../../src/clients/client-bootstrap';

const SCOPES = ['openid', 'cache:read'];
const dir = mkdtempSync(join(tmpdir(), 'tollgate-bootstrap-'));
let n = 0;
function file(content: string): string {
  const path = join(dir, `clients-${n++}.json`);
  writeFileSync(path, content);
  return path;
}
const good = {
  client_id: 'billing',
  client_secret: 'S'.repeat(43),
  name: 'Billing',
  type: 'confidential',
  grant_types: ['client_credentials'],
  scopes: ['cache:read'],
};

describe('bootstrap file', () => {
  it('reads declared clients into upsert inputs', () => {
    const inputs = readBootstrapFile(file(JSON.stringify({ clients: [good] })), SCOPES);
    expect(inputs).toEqual([
      expect.objectContaining({
        id: 'billing',
        clientSecret: 'S'.repeat(43),
        grantTypes: ['client_credentials'],
      }),
    ]);
  });

  it.each([
    ['not JSON', '{ clients: ', /JSON/],
    ['not an object', '[]', /JSON object/],
    ['no clients array', '{}', /clients/],
    [
      'an unknown top-level field',
      JSON.stringify({ clients: [good], client: [] }),
      /unknown field client$/m,
    ],
    [
      'an entry that is not an object',
      JSON.stringify({ clients: [5] }),
      /clients\[0\]: must be a JSON object$/m,
    ],
    [
      'an unknown field (typo)',
      JSON.stringify({ clients: [{ ...good, grantTypes: [] }] }),
      /grantTypes/,
    ],
    [
      'a missing id',
      JSON.stringify({ clients: [{ ...good, client_id: undefined }] }),
      /client_id is required/,
    ],
    ['an unconfigured scope', JSON.stringify({ clients: [{ ...good, scopes: ['root'] }] }), /root/],
    [
      'a short secret',
      JSON.stringify({ clients: [{ ...good, client_secret: 'x' }] }),
      /43 characters/,
    ],
    ['a duplicate id', JSON.stringify({ clients: [good, good] }), /more than once/],
  ])('stops start-up with a clear message for %s', (_what, content, message) => {
    const path = file(content);
    expect(() => readBootstrapFile(path, SCOPES)).toThrow(ClientsBootstrapFileError);
    expect(() => readBootstrapFile(path, SCOPES)).toThrow(message);
  });

  it('names a missing file', () => {
    expect(() => readBootstrapFile(join(dir, 'absent.json'), SCOPES)).toThrow(
      /absent\.json.*\n.*ENOENT/,
    );
  });

  it('lists shape and meaning problems of every declared client at once', () => {
    const path = file(
      JSON.stringify({
        clients: [
          { ...good, scopes: null, redirect_uris: ['https://*.example.com/cb'] },
          {
            ...good,
            client_id: 'second',
            type: 'public',
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
      }),
    );
    expect(() => readBootstrapFile(path, SCOPES)).toThrow(
      /clients\[0\] \(billing\): scopes must not be null[\s\S]*clients\[0\] \(billing\): redirect URI "https:\/\/\*\.example\.com\/cb" must not contain a wildcard[\s\S]*clients\[1\] \(second\): a public client has no secret: its token_endpoint_auth_method must be none/,
    );
  });
});
