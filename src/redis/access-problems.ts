import { Logger } from '@nestjs/common';

/**
 * Redis errors that no retry fixes because the operator's settings are wrong: a certificate
 * the configured CA does not trust, credentials Redis refuses, an ACL user without a command
 * or key pattern tollgate needs (docs/security.md, "Redis TLS and ACL users"). Retrying stays
 * on (a fixed Secret or ACL takes effect without a restart) and requests get 503s; what these
 * helpers add is a log line that says what to fix, at once instead of after the start-up
 * attempts run out. Lines never contain a password: Redis's replies do not echo it.
 */

/** Which settings a connection's credentials come from, for the hint in the log line. */
export interface CredentialSource {
  /** The ACL user the connection logs in as; undefined: `default`. */
  readonly username?: string;
  /** e.g. `REDIS_USERNAME and REDIS_PASSWORD`. */
  readonly settings: string;
  /** A connection to a Sentinel (else: to a data node, maybe found through Sentinels). */
  readonly sentinel?: boolean;
  /** The ACL user on the Sentinels (REDIS_SENTINEL_USERNAME); undefined: `default`. */
  readonly sentinelUsername?: string;
}

const TLS_TRUST =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate has expired|certificate is not yet valid|altnames|CERT_/i;
const TLS_PROTOCOL = /wrong version number|packet length too long|ssl3_get_record|EPROTO/i;
const LOGIN_REFUSED = /WRONGPASS|invalid username-password pair|user is disabled/i;
const LOGIN_MISSING = /NOAUTH/;

/** ioredis's Sentinel connector wraps the cause, with a delay that changes every attempt. */
const SENTINELS_UNREACHABLE =
  /^All sentinels are unreachable\. Retrying from scratch after \d+ms\. Last error: /;

/**
 * One line saying what is wrong and which setting to check, or null when `message` is not a
 * settings problem (an outage, a timeout: those are retried quietly). The same problem always
 * gives the same line, so ProblemLog can tell repeats apart.
 */
export function describeConnectProblem(message: string, source: CredentialSource): string | null {
  const viaSentinels = SENTINELS_UNREACHABLE.test(message);
  const cause = message.replace(SENTINELS_UNREACHABLE, '');
  const sentinel = source.sentinel === true || viaSentinels;
  const server = sentinel ? 'Redis Sentinel' : 'Redis';
  if (TLS_TRUST.test(cause)) {
    return (
      `TLS: the ${server} certificate is not trusted (${cause}); ` +
      'REDIS_TLS_CA_FILE must name the CA that signed it (unset: the system CAs)'
    );
  }
  if (TLS_PROTOCOL.test(cause)) {
    return (
      `TLS: no TLS handshake with ${server} (${cause}); REDIS_TLS=true needs a TLS port ` +
      '(tls-port), a plain port needs REDIS_TLS=false'
    );
  }
  const [username, settings] = sentinel
    ? [source.sentinelUsername, 'REDIS_SENTINEL_USERNAME and REDIS_SENTINEL_PASSWORD']
    : [source.username, source.settings];
  if (LOGIN_REFUSED.test(cause)) {
    return (
      `authentication failed: ${server} refused the login of user "${username ?? 'default'}" ` +
      `(${cause}); check ${settings}`
    );
  }
  if (LOGIN_MISSING.test(cause)) {
    return `authentication required: ${server} asks for a login (${cause}); set ${settings}`;
  }
  return null;
}

const ACL_DENIED = /NOPERM|user executing the script can't|has no permissions/i;

/** True when Redis refused a command, key or channel to the connection's ACL user. */
export function isAclDenial(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (ACL_DENIED.test(err.message)) return true;
  // MULTI/EXEC: EXEC fails with EXECABORT; the NOPERM is among the queued commands' errors.
  const previous = (err as { previousErrors?: unknown[] }).previousErrors;
  return Array.isArray(previous) && previous.some(isAclDenial);
}

interface IoredisCommand {
  readonly name?: string;
  readonly args?: unknown[];
}

/** The error that carries the denial: `err`, or the queued command's inside an EXECABORT. */
function deniedCause(err: Error): Error {
  return (err as { previousErrors?: Error[] }).previousErrors?.find((e) => isAclDenial(e)) ?? err;
}

/** The keys of a denied ioredis command (EVAL/EVALSHA: its KEYS; others: the first argument). */
function deniedKeys(command: IoredisCommand): string[] {
  const args = (command.args ?? []).map(String);
  if (command.name === 'evalsha' || command.name === 'eval') {
    return args.slice(2, 2 + Number(args[1] ?? 0));
  }
  return args.slice(0, 1);
}

/**
 * The line for an ACL denial: Redis's reply (it names the user and the command) plus the
 * command and the key names ioredis sent. Key names are safe to log: tokens, codes and
 * sessions are addressed by digest (keys.ts), never by value.
 */
export function describeAclDenial(err: Error): string {
  const cause = deniedCause(err);
  const command = (cause as { command?: IoredisCommand }).command ?? {};
  const keys = deniedKeys(command);
  const what = command.name
    ? ` (command ${command.name}${keys.length ? `, keys ${keys.join(' ')}` : ''})`
    : '';
  return (
    `ACL: Redis denied a command to the user of REDIS_USERNAME: ${cause.message.split('\n')[0]}` +
    `${what}; it needs the rules in docs/security.md ("Redis TLS and ACL users")`
  );
}

/** Logs each distinct problem once per `intervalMs`, so a failing loop is one line, not a flood. */
export class ProblemLog {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
  ) {}

  /** `key` tells problems apart (default: the line itself). */
  report(line: string, key = line, now = Date.now()): void {
    const at = this.last.get(key);
    if (at !== undefined && now - at < this.intervalMs) return;
    this.last.set(key, now);
    this.logger.error(line);
  }

  /** After a success: the same problem, if it comes back, is news again. */
  reset(): void {
    this.last.clear();
  }
}

const aclLog = new ProblemLog(new Logger('Redis:acl'));

/**
 * Logs an ACL denial, once a minute per command and reply (not per key: each request names
 * other keys); storageCall then answers 503.
 */
export function reportAclDenial(err: Error): void {
  const cause = deniedCause(err);
  const command = (cause as { command?: IoredisCommand }).command;
  aclLog.report(describeAclDenial(err), `${command?.name ?? ''} ${cause.message}`);
}
