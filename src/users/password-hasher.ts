import { Injectable } from '@nestjs/common';
import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

export interface ScryptParams {
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** `scrypt$N$r$p$salt$hash`, salt and hash base64url: the hash names its own parameters. */
const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;
/** Refuse stored parameters beyond these: a corrupted record must not cost gigabytes. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * Password hashing with scrypt from node:crypto (memory-hard, no native package; see
 * docs/security.md). New hashes use the configured parameters; each stored hash carries its
 * own, so changing PASSWORD_SCRYPT_* later leaves existing passwords valid (`needsRehash`
 * tells which ones to re-hash at the next successful sign-in). The KDF runs on libuv's
 * thread pool, never on the event loop.
 */
@Injectable()
export class PasswordHasher {
  private readonly params: ScryptParams;
  /** Counts KDF runs: the unit tests check that an unknown user costs one as well. */
  kdfRuns = 0;

  constructor(config: AppConfig) {
    this.params = config.passwords.scrypt;
  }

  async hash(password: string): Promise<string> {
    const { n, r, p } = this.params;
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password, salt, this.params);
    return `scrypt$${n}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /**
   * True when `password` matches `stored`. The comparison is constant time
   * (timingSafeEqual); a malformed hash verifies nothing but still costs one KDF run with
   * the configured parameters, so no branch here is measurably faster than another.
   */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    const params = parsed?.params ?? this.params;
    const salt = parsed?.salt ?? Buffer.alloc(SALT_BYTES);
    const expected = parsed?.key ?? Buffer.alloc(KEY_BYTES);
    const actual = await this.derive(password, salt, params, expected.length);
    return timingSafeEqual(actual, expected) && parsed !== null;
  }

  /** True when `stored` was made with other parameters than the configured ones. */
  needsRehash(stored: string): boolean {
    const parsed = parseHash(stored);
    if (!parsed) return true;
    const { n, r, p } = parsed.params;
    return n !== this.params.n || r !== this.params.r || p !== this.params.p;
  }

  private derive(
    password: string,
    salt: Buffer,
    { n, r, p }: ScryptParams,
    length = KEY_BYTES,
  ): Promise<Buffer> {
    this.kdfRuns++;
    // Node refuses more than 32 MiB by default; allow what N and r need (128 * N * r) twice over.
    const options: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
    return new Promise((resolve, reject) =>
      scrypt(password.normalize('NFKC'), salt, length, options, (err, key) =>
        err ? reject(err) : resolve(key),
      ),
    );
  }
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = FORMAT.exec(stored);
  if (!m) return null;
  const [n, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const powerOfTwo = n >= 2 && (n & (n - 1)) === 0;
  if (!powerOfTwo || n > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  const key = Buffer.from(m[5], 'base64url');
  if (key.length < 16) return null;
  return { params: { n, r, p }, salt: Buffer.from(m[4], 'base64url'), key };
}
