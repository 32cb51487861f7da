/** Injection tokens for the two Redis clients and their connection managers. */
export const REDIS_AUTH = Symbol('REDIS_AUTH');
export const REDIS_CACHE = Symbol('REDIS_CACHE');
export const REDIS_AUTH_CONNECTION = Symbol('REDIS_AUTH_CONNECTION');
export const REDIS_CACHE_CONNECTION = Symbol('REDIS_CACHE_CONNECTION');
