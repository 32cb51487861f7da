import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { guardTlsSocketErrors } from '../../../src/redis/tls-error-guard';

type WithEmit = TLSSocket & { _emitTLSError(err: Error): void };
const tick = () => new Promise((r) => setImmediate(r));

/** A client TLS socket after a failed handshake: destroyed with its error, which ioredis's
 * `once('error')` listeners took; no listener is left (as on a socket from tls.connect). */
async function failedHandshake(): Promise<WithEmit> {
  const socket = new TLSSocket(undefined as unknown as Duplex) as WithEmit;
  // As on a client socket tls.connect made: its errors are the socket's to emit.
  (socket as unknown as { _controlReleased: boolean })._controlReleased = true;
  const seen: Error[] = [];
  socket.once('error', (e) => seen.push(e));
  socket.destroy(new Error('self-signed certificate in certificate chain'));
  await tick();
  expect(seen).toHaveLength(1);
  socket.removeAllListeners('error');
  return socket;
}

describe('guardTlsSocketErrors', () => {
  it('without the guard, a second TLS error on that socket is thrown (the crash)', async () => {
    const socket = await failedHandshake();
    // Emitting 'error' without a listener throws: what Node's _emitTLSError does unguarded.
    expect(() => socket.emit('error', new Error('tlsv1 alert decode error'))).toThrow(
      'tlsv1 alert decode error',
    );
  });

  it('drops a TLS error on a destroyed socket nobody listens to any more', async () => {
    guardTlsSocketErrors();
    const socket = await failedHandshake();
    expect(() => socket._emitTLSError(new Error('tlsv1 alert decode error'))).not.toThrow();
  });

  it('still emits a TLS error to a listener, and on a live socket', async () => {
    guardTlsSocketErrors();
    const socket = await failedHandshake();
    const seen: string[] = [];
    socket.on('error', (e) => seen.push(e.message));
    socket._emitTLSError(new Error('to a listener'));
    expect(seen).toEqual(['to a listener']);
    const live = new TLSSocket(undefined as unknown as Duplex) as WithEmit;
    (live as unknown as { _controlReleased: boolean })._controlReleased = true;
    live.removeAllListeners('error');
    expect(() => live._emitTLSError(new Error('on a live socket'))).toThrow('on a live socket');
    live.destroy();
  });

  it('is installed once', () => {
    guardTlsSocketErrors();
    const patched = (TLSSocket.prototype as unknown as WithEmit)._emitTLSError;
    guardTlsSocketErrors();
    expect((TLSSocket.prototype as unknown as WithEmit)._emitTLSError).toBe(patched);
  });
});
