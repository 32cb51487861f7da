/**
 * node-oidc-provider's storage adapter on Redis, modelled on the example adapter of that
 * project (example/adapters/redis.js in panva/node-oidc-provider): the same key layout and
 * the same commands, so the benchmark measures the peer as its authors show it, not as we
 * would tune it. Differences: ESM, `hset` for the deprecated `hmset`, no lodash, and the
 * connection comes from the environment of bench/run.ts.
 *
 * Layout (all under the ioredis `keyPrefix` "oidc:", in the Redis DB of PEER_REDIS_URL):
 * - `<Model>:<id>`: the payload as a JSON string (SET), or for consumable models a hash
 *   with the JSON in `payload` and `consumed` set by consume() (HSET).
 * - `grant:<grantId>`: a list of the keys of the tokens issued under a grant
 *   (revokeByGrantId deletes them all).
 * - `userCode:<code>`, `uid:<uid>`: secondary indexes to the id.
 *
 * What the benchmarked flows send (client_credentials tokens are neither grantable nor
 * consumable): issuing = MULTI, SET, EXPIRE, EXEC; finding = GET; revoking = DEL.
 */
import Redis from 'ioredis';

export const redis = new Redis(process.env.PEER_REDIS_URL, {
  keyPrefix: 'oidc:',
  // Off in the example adapter (ioredis' default); BENCH_PEER_AUTO_PIPELINING=true turns it
  // on, like tollgate's REDIS_AUTO_PIPELINING.
  enableAutoPipelining: process.env.PEER_AUTO_PIPELINING === 'true',
});

/** Models whose tokens are listed under their grant, for revokeByGrantId. */
const grantable = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** Models stored as a hash, so that consume() can mark them without rewriting the JSON. */
const consumable = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

const grantKey = (grantId) => `grant:${grantId}`;
const userCodeKey = (userCode) => `userCode:${userCode}`;
const uidKey = (uid) => `uid:${uid}`;

export class RedisAdapter {
  /** @param {string} name the model: AccessToken, ClientCredentials, Session, ... */
  constructor(name) {
    this.name = name;
  }

  key(id) {
    return `${this.name}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    const multi = redis.multi();
    if (consumable.has(this.name)) multi.hset(key, { payload: JSON.stringify(payload) });
    else multi.set(key, JSON.stringify(payload));
    if (expiresIn) multi.expire(key, expiresIn);

    if (grantable.has(this.name) && payload.grantId) {
      const listKey = grantKey(payload.grantId);
      multi.rpush(listKey, key);
      // As in the example: the grant list lives as long as its longest-lived token.
      const ttl = await redis.ttl(listKey);
      if (expiresIn > ttl) multi.expire(listKey, expiresIn);
    }
    if (payload.userCode) {
      multi.set(userCodeKey(payload.userCode), id);
      multi.expire(userCodeKey(payload.userCode), expiresIn);
    }
    if (payload.uid) {
      multi.set(uidKey(payload.uid), id);
      multi.expire(uidKey(payload.uid), expiresIn);
    }
    await multi.exec();
  }

  async find(id) {
    if (consumable.has(this.name)) {
      const data = await redis.hgetall(this.key(id));
      if (!data || Object.keys(data).length === 0) return undefined;
      const { payload, ...rest } = data;
      return { ...rest, ...JSON.parse(payload) };
    }
    const data = await redis.get(this.key(id));
    return data ? JSON.parse(data) : undefined;
  }

  async findByUid(uid) {
    const id = await redis.get(uidKey(uid));
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode) {
    const id = await redis.get(userCodeKey(userCode));
    return id ? this.find(id) : undefined;
  }

  async consume(id) {
    await redis.hset(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
  }

  async destroy(id) {
    await redis.del(this.key(id));
  }

  async revokeByGrantId(grantId) {
    const multi = redis.multi();
    const keys = await redis.lrange(grantKey(grantId), 0, -1);
    keys.forEach((key) => multi.del(key));
    multi.del(grantKey(grantId));
    await multi.exec();
  }
}
