import { Logger } from '@nestjs/common';
import {
  describeAclDenial,
  describeConnectProblem,
  isAclDenial,
  ProblemLog,
} from '../../../src/redis/access-problems';

const app = { username: 'tollgate-app', settings: 'REDIS_USERNAME and REDIS_PASSWORD' };

describe('describeConnectProblem', () => {
  it('names REDIS_TLS_CA_FILE for a certificate the CA does not trust', () => {
    const line = describeConnectProblem('self-signed certificate in certificate chain', app);
    expect(line).toMatch(/^TLS: the Redis certificate is not trusted .*REDIS_TLS_CA_FILE/);
  });

  it('names the user and the settings for a refused login, without any password', () => {
    const line = describeConnectProblem(
      'WRONGPASS invalid username-password pair or user is disabled.',
      app,
    );
    expect(line).toMatch(
      /refused the login of user "tollgate-app".*REDIS_USERNAME and REDIS_PASSWORD/,
    );
  });

  it('unwraps ioredis Sentinel errors into one stable line naming the Sentinel settings', () => {
    const wrapped = (ms: number) =>
      `All sentinels are unreachable. Retrying from scratch after ${ms}ms. Last error: WRONGPASS invalid username-password pair or user is disabled.`;
    const source = { ...app, sentinelUsername: 'watcher' };
    const first = describeConnectProblem(wrapped(100), source);
    expect(first).toMatch(
      /Redis Sentinel refused the login of user "watcher".*REDIS_SENTINEL_USERNAME/,
    );
    expect(describeConnectProblem(wrapped(200), source)).toBe(first);
  });

  it('says nothing about outages: they are retried quietly', () => {
    expect(describeConnectProblem('connect ECONNREFUSED 127.0.0.1:6379', app)).toBeNull();
    expect(describeConnectProblem('Connection is closed.', app)).toBeNull();
  });
});

describe('ACL denials', () => {
  const denied = Object.assign(
    new Error("NOPERM this user has no permissions to run the 'evalsha' command"),
    {
      command: {
        name: 'evalsha',
        args: ['abc123', '2', 'auth:client:x', 'auth:clients', 'secret-argv'],
      },
    },
  );

  it('are recognised, also inside an EXECABORT', () => {
    expect(isAclDenial(denied)).toBe(true);
    const aborted = Object.assign(new Error('EXECABORT Transaction discarded'), {
      previousErrors: [denied],
    });
    expect(isAclDenial(aborted)).toBe(true);
    expect(isAclDenial(new Error('Connection is closed.'))).toBe(false);
  });

  it('name the command and its keys, never its other arguments', () => {
    const line = describeAclDenial(denied);
    expect(line).toContain("'evalsha'");
    expect(line).toContain('keys auth:client:x auth:clients');
    expect(line).not.toContain('secret-argv');
  });
});

describe('ProblemLog', () => {
  it('logs a repeated problem once per interval, and again after a reset', () => {
    const logger = { error: jest.fn() } as unknown as Logger;
    const log = new ProblemLog(logger, 60_000);
    log.report('a', 'a', 0);
    log.report('a', 'a', 30_000);
    log.report('b', 'b', 30_000);
    expect(logger.error).toHaveBeenCalledTimes(2);
    log.report('a', 'a', 61_000);
    expect(logger.error).toHaveBeenCalledTimes(3);
    log.reset();
    log.report('a', 'a', 61_001);
    expect(logger.error).toHaveBeenCalledTimes(4);
  });
});
