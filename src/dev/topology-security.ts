/**
 * TLS and ACL users of a local topology (redis-topology.ts, options `tls` and `aclUsers`):
 * the certificates and the aclfile are made in the topology's dir before any node starts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NodeAccess } from './redis-process';
import { makeServerCertificate, makeTestCa, ServerCertificate } from './test-certificates';

export interface SecurityOptions {
  tls?: boolean;
  aclUsers?: string[];
  sentinelAclUsers?: string[];
}

/** The harness's own ACL users (docs/security.md, "Redis TLS and ACL users"). */
export const HARNESS_ACL = {
  admin: { username: 'tollgate-harness', rules: '~* &* +@all' },
  replica: { username: 'tollgate-replica', rules: '+psync +replconf +ping' },
  sentinel: {
    username: 'tollgate-sentinel',
    rules:
      'allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish ' +
      '+info +client|setname +client|kill +script|kill',
  },
} as const;

/** TLS material and ACL users of one topology, made in its dir before any node starts. */
export interface Security {
  readonly tls?: ServerCertificate;
  readonly tlsLines: string[];
  readonly aclFile?: string;
  /** One random password for the harness's own users (admin, replica, Sentinel). */
  readonly password: string;
  /** sentinel.conf lines for `sentinelAclUsers`: users, and the peers' login. */
  readonly sentinelLines: string[];
  readonly dataAccess: NodeAccess;
  readonly sentinelAccess: NodeAccess;
}

export function prepareSecurity(opts: SecurityOptions, dir: string): Security {
  const password = randomBytes(16).toString('hex');
  const tls = opts.tls
    ? makeServerCertificate(
        makeTestCa(path.join(dir, 'ca'), 'tollgate test CA'),
        path.join(dir, 'tls'),
      )
    : undefined;
  // tls-auth-clients no: the app authenticates with an ACL user, not a client certificate.
  const tlsLines = tls
    ? [
        `tls-cert-file "${tls.certFile}"`,
        `tls-key-file "${tls.keyFile}"`,
        `tls-ca-cert-file "${tls.caFile}"`,
        'tls-auth-clients no',
        'tls-replication yes',
      ]
    : [];
  const tlsAccess: NodeAccess = tls ? { tls: { ca: readFileSync(tls.caFile) } } : {};
  const admin = { username: HARNESS_ACL.admin.username, password };
  const adminLine = `user ${admin.username} on >${password} ${HARNESS_ACL.admin.rules}`;
  // Sentinels: `default` off, the harness's admin, which the peers log in as too.
  const sentinelLines = opts.sentinelAclUsers
    ? [
        'user default off',
        adminLine,
        ...opts.sentinelAclUsers,
        `sentinel sentinel-user ${admin.username}`,
        `sentinel sentinel-pass ${password}`,
      ]
    : [];
  const sentinelAccess = opts.sentinelAclUsers ? { ...tlsAccess, ...admin } : tlsAccess;
  const base = { tls, tlsLines, password, sentinelLines, sentinelAccess };
  if (!opts.aclUsers) return { ...base, dataAccess: tlsAccess };
  const aclFile = path.join(dir, 'users.acl');
  const own = Object.values(HARNESS_ACL).map(
    (u) => `user ${u.username} on >${password} ${u.rules}`,
  );
  writeFileSync(aclFile, ['user default off', ...own, ...opts.aclUsers, ''].join('\n'), {
    mode: 0o600,
  });
  return { ...base, aclFile, dataAccess: { ...tlsAccess, ...admin } };
}
