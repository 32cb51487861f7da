import { TLSSocket } from 'node:tls';

type EmitTlsError = (this: TLSSocket, err: Error) => void;
const GUARDED = Symbol.for('tollgate.tlsErrorGuard');

/**
 * A TLS socket can emit 'error' twice: a failed handshake (say, a certificate the CA in
 * REDIS_TLS_CA_FILE did not sign) destroys the socket with that error, and an alert the
 * server sends at the same moment ("tlsv1 alert decode error") arrives through Node's
 * `TLSSocket#_emitTLSError`, which emits directly. ioredis listens with `once('error')`, so
 * the second error has no listener and is thrown: an uncaught exception that takes the whole
 * process down (seen under load in test/integration/transport/standalone-tls-acl.spec.ts, about
 * 1 run in 5). A TLS error on a socket that is already destroyed and that nobody listens to
 * any more changes nothing, so it is dropped; every other one is emitted as before.
 *
 * Patches a Node internal (present in Node 20 and 22); if it is missing, nothing is patched.
 * Idempotent; installed by tlsOptions() (redis-options.ts) whenever Redis TLS is on.
 */
export function guardTlsSocketErrors(): void {
  const proto = TLSSocket.prototype as unknown as Record<string | symbol, unknown>;
  const original = proto._emitTLSError as EmitTlsError | undefined;
  if (typeof original !== 'function' || proto[GUARDED]) return;
  proto._emitTLSError = function (this: TLSSocket, err: Error): void {
    if (this.destroyed && this.listenerCount('error') === 0) return;
    original.call(this, err);
  } satisfies EmitTlsError;
  proto[GUARDED] = true;
}
