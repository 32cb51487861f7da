import { Logger } from '@nestjs/common';
import { PendingUndos } from '../../../src/tokens/pending-undos';
import type { RotationRequest } from '../../../src/tokens/token.store';

const outage = () => new Error('Connection is closed.');

function request(presentedDigest: string): RotationRequest {
  return { presentedDigest } as unknown as RotationRequest;
}

describe('PendingUndos', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn', 'log']));
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries a kept undo in the background until Redis takes it, then stops', async () => {
    let reachable = false;
    const applied: string[] = [];
    const undos = new PendingUndos(async (r) => {
      if (!reachable) throw outage();
      applied.push(r.presentedDigest);
    });
    undos.add(request('a'));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(applied).toEqual([]);
    expect(undos.size).toBe(1);
    reachable = true;
    await jest.advanceTimersByTimeAsync(200);
    expect(applied).toEqual(['a']);
    expect(undos.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('settles the presented token before it is rotated again, and refuses while Redis is away', async () => {
    let reachable = false;
    const applied: string[] = [];
    const undos = new PendingUndos(async (r) => {
      if (!reachable) throw outage();
      applied.push(r.presentedDigest);
    });
    undos.add(request('a'));
    undos.add(request('b'));
    await expect(undos.settle('a')).rejects.toThrow('Connection is closed.');
    reachable = true;
    await undos.settle('a');
    await undos.settle('nothing pending');
    expect(applied).toEqual(['a']);
    expect(undos.size).toBe(1);
    undos.stop();
  });

  it('gives up an undo that fails for another reason than an outage', async () => {
    const undos = new PendingUndos(async () => {
      throw new Error('ERR unexpected');
    });
    undos.add(request('a'));
    await undos.settle('a');
    expect(undos.size).toBe(0);
  });

  it('keeps at most 10,000 undos, giving up the oldest', async () => {
    const applied: string[] = [];
    let reachable = false;
    const undos = new PendingUndos(async (r) => {
      if (!reachable) throw outage();
      applied.push(r.presentedDigest);
    });
    for (let i = 0; i <= 10_000; i++) undos.add(request(`t${i}`));
    expect(undos.size).toBe(10_000);
    reachable = true;
    await undos.settle('t0');
    await undos.settle('t1');
    expect(applied).toEqual(['t1']);
    undos.stop();
  });
});
