/**
 * Throw-away certificates for local TLS topologies (integration tests, `start:local`): a CA
 * and a server certificate for 127.0.0.1 and localhost signed by it, made with the `openssl`
 * binary into a directory of the caller's (the topology's temp dir). Nothing here is meant
 * for production; docs/security.md ("Redis TLS and ACL users") says what production uses.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const OPENSSL_BIN = process.env.TOLLGATE_OPENSSL ?? '/usr/bin/openssl';
/** P-256 keys: generated in milliseconds, and every TLS stack accepts them. */
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = '2';

export interface TestCa {
  readonly caFile: string;
  readonly keyFile: string;
}

/** What a TLS server (redis-server, redis-sentinel) needs, plus the CA that signed it. */
export interface ServerCertificate {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

function openssl(args: string[]): void {
  // stdio ignored: openssl prints progress dots; a failure throws with its exit status.
  execFileSync(OPENSSL_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed CA named `name` in `dir` (ca.crt, ca.key). */
export function makeTestCa(dir: string, name: string): TestCa {
  mkdirSync(dir, { recursive: true });
  const caFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'ca.key');
  openssl(
    ['req', '-x509', ...KEY_ARGS, '-keyout', keyFile, '-out', caFile].concat([
      '-days',
      DAYS,
      '-subj',
      `/CN=${name}`,
    ]),
  );
  return { caFile, keyFile };
}

/**
 * A server certificate in `dir` (server.crt, server.key) for 127.0.0.1 and localhost, signed
 * by `ca`. It allows client use too: a replica and a Sentinel present it when they connect.
 */
export function makeServerCertificate(ca: TestCa, dir: string): ServerCertificate {
  mkdirSync(dir, { recursive: true });
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const ext = path.join(dir, 'server.ext');
  writeFileSync(
    ext,
    [
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      'basicConstraints = CA:FALSE',
      'keyUsage = digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth, clientAuth',
      '',
    ].join('\n'),
  );
  openssl(['req', ...KEY_ARGS, '-keyout', keyFile, '-out', csr, '-subj', '/CN=localhost']);
  openssl(
    ['x509', '-req', '-in', csr, '-CA', ca.caFile, '-CAkey', ca.keyFile].concat([
      '-CAcreateserial',
      '-out',
      certFile,
      '-days',
      DAYS,
      '-extfile',
      ext,
    ]),
  );
  return { caFile: ca.caFile, certFile, keyFile };
}
