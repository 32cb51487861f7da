import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import { DurabilityShortfall, GroupCommit, WriteChannel } from '../../../src/redis/group-commit';

type Reply = [Error | null, unknown];

/** A fake connection: each exec is held until the test answers it with `reply`. */
class FakeChannel implements WriteChannel {
  readonly batches: string[][] = [];
  readonly answers: ((replies: Reply[] | Error) => void)[] = [];
  generation = 1;

  incarnation(): number {
    return this.generation;
  }

  pipeline(): ChainableCommander {
    const commands: string[] = [];
    this.batches.push(commands);
    const pipeline = {
      set: (key: string) => (commands.push(`set ${key}`), pipeline),
      wait: (n: number, t: number) => (commands.push(`wait ${n} ${t}`), pipeline),
      exec: () =>
        new Promise<Reply[]>((resolve, reject) =>
          this.answers.push((r) => (r instanceof Error ? reject(r) : resolve(r))),
        ),
    };
    return pipeline as unknown as ChainableCommander;
  }

  /** Answers the oldest pending exec: every write OK, then WAIT with `acks`. */
  answer(acks: number | Error): void {
    const batch =
      this.batches[this.answers.length === 0 ? 0 : this.batches.length - this.answers.length];
    const writes = batch.filter((c) => c.startsWith('set')).map((): Reply => [null, 'OK']);
    const respond = this.answers.shift();
    if (!respond) throw new Error('no exec pending');
    respond(acks instanceof Error ? acks : [...writes, [null, acks]]);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const set = (key: string) => (p: Redis | ChainableCommander) => p.set(key, '1');

function setup(refusal: () => string | null = () => null) {
  const channel = new FakeChannel();
  const waits: (number | null)[] = [];
  const commits = new GroupCommit(channel, {
    replicas: 2,
    timeoutMs: 500,
    refusal,
    onWait: (n) => waits.push(n),
  });
  return { channel, commits, waits };
}

describe('GroupCommit', () => {
  it('sends the writes of one tick as one pipeline followed by a single WAIT', async () => {
    const { channel, commits } = setup();
    const done = Promise.all([commits.submit(set('a')), commits.submit(set('b'))]);
    await tick();
    expect(channel.batches).toEqual([['set a', 'set b', 'wait 2 500']]);
    channel.answer(2);
    await expect(done).resolves.toEqual(['OK', 'OK']);
  });

  it('holds writes that arrive while a WAIT is in flight and covers them with the next single WAIT', async () => {
    const { channel, commits } = setup();
    const first = commits.submit(set('a'));
    await tick();
    const later = [commits.submit(set('b')), commits.submit(set('c'))];
    await tick();
    expect(channel.batches).toHaveLength(1);
    expect(commits.backlog).toBe(2);
    channel.answer(2);
    await expect(first).resolves.toBe('OK');
    await tick();
    expect(channel.batches[1]).toEqual(['set b', 'set c', 'wait 2 500']);
    channel.answer(2);
    await expect(Promise.all(later)).resolves.toEqual(['OK', 'OK']);
  });

  it('fails every write of a batch whose WAIT counted too few replicas', async () => {
    const { channel, commits, waits } = setup();
    const batch = [commits.submit(set('a')), commits.submit(set('b'))];
    await tick();
    channel.answer(1);
    for (const write of batch) await expect(write).rejects.toThrow(DurabilityShortfall);
    expect(waits).toEqual([1]);
  });

  it('fails the batch when the connection reconnected between the write and its WAIT', async () => {
    const { channel, commits } = setup();
    const write = commits.submit(set('a'));
    await tick();
    channel.generation += 1;
    channel.answer(2);
    await expect(write).rejects.toThrow('reconnected during the write');
  });

  it('fails the batch when the pipeline fails (connection closed)', async () => {
    const { channel, commits, waits } = setup();
    const write = commits.submit(set('a'));
    await tick();
    channel.answer(new Error('Connection is closed.'));
    await expect(write).rejects.toThrow(DurabilityShortfall);
    expect(waits).toEqual([null]);
  });

  it('refuses held writes without sending them once the refusal says so', async () => {
    let refusal: string | null = null;
    const { channel, commits } = setup(() => refusal);
    const first = commits.submit(set('a'));
    await tick();
    const held = commits.submit(set('b'));
    await tick();
    refusal = 'the last WAIT counted 1 of 2 replicas';
    channel.answer(1);
    await expect(first).rejects.toThrow(DurabilityShortfall);
    await expect(held).rejects.toThrow('the last WAIT counted 1 of 2 replicas');
    expect(channel.batches).toHaveLength(1);
  });

  it('rejects a write whose command failed with its own error, not as a shortfall', async () => {
    const { channel, commits } = setup();
    const write = commits.submit(set('a'));
    await tick();
    channel.answers.shift()?.([
      [new Error('ERR script error'), null],
      [null, 2],
    ]);
    await expect(write).rejects.toThrow('ERR script error');
  });
});
