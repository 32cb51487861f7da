/**
 * Load generator of the failover chaos scenario (issue 12): workers alternate between the
 * app instances, issuing client_credentials tokens, rotating a refresh token and revoking
 * tokens they were given, at a steady pace. Every answer is recorded, because the invariants
 * are checked over every answer a client received, not over a sample. No jest imports:
 * `npm run chaos` reuses this file.
 */

export type Op = 'issue' | 'refresh' | 'revoke';

export interface Answer {
  readonly op: Op;
  readonly startedAt: number;
  readonly ms: number;
  /** 0 when no HTTP answer came (socket error or client-side abort). */
  readonly status: number;
  readonly retryAfter: boolean;
  /** The body is RFC 6749 error JSON (`error` is a string). */
  readonly errorJson: boolean;
  readonly failure?: string;
}

/** What the clients hold afterwards: the tokens the server promised them. */
export interface LoadOutcome {
  readonly answers: Answer[];
  /** Access tokens answered 200 (issued or rotated) and not sent to /revoke. */
  readonly kept: string[];
  /** Tokens whose revocation was answered 200: they must stay inactive. */
  readonly revoked: string[];
  /** Per refresh chain: the refresh token last handed out (must be active). */
  readonly currentRefresh: string[];
  /** Per chain that rotated at least once: a refresh token already redeemed (replay check). */
  readonly redeemedRefresh: string[];
}

export interface LoadOptions {
  readonly urls: readonly string[];
  /** client_secret_basic header of a client allowed client_credentials and refresh_token. */
  readonly authorization: string;
  /** One refresh token per worker, obtained before the run. */
  readonly refreshTokens: readonly string[];
  readonly stopAt: number;
  /** Pause between a worker's requests. */
  readonly paceMs: number;
  /** A client gives up after this long (beyond the server's request timeout: a hang). */
  readonly abortAfterMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  readonly answer: Answer;
  readonly body: Record<string, unknown>;
}

async function send(opts: LoadOptions, url: string, op: Op, form: Record<string, string>) {
  const path = op === 'revoke' ? '/oauth2/revoke' : '/oauth2/token';
  const startedAt = Date.now();
  try {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        authorization: opts.authorization,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(opts.abortAfterMs),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      // not JSON: errorJson stays false
    }
    const answer: Answer = {
      op,
      startedAt,
      ms: Date.now() - startedAt,
      status: res.status,
      retryAfter: res.headers.get('retry-after') !== null,
      errorJson: typeof body.error === 'string',
    };
    return { answer, body } satisfies Sent;
  } catch (err) {
    const failure = `${(err as Error).name}: ${(err as Error).message}`;
    const answer: Answer = {
      op,
      startedAt,
      ms: Date.now() - startedAt,
      status: 0,
      retryAfter: false,
      errorJson: false,
      failure,
    };
    return { answer, body: {} } satisfies Sent;
  }
}

/** One worker: the op mix is fixed (issue, refresh, issue, revoke) so every run is alike. */
async function worker(opts: LoadOptions, index: number, out: LoadOutcome): Promise<void> {
  let refresh = opts.refreshTokens[index];
  let rotated = false;
  const pool: string[] = [];
  for (let i = 0; Date.now() < opts.stopAt; i++) {
    const url = opts.urls[(index + i) % opts.urls.length];
    const step = i % 4;
    if (step === 1) {
      const sent = await send(opts, url, 'refresh', {
        grant_type: 'refresh_token',
        refresh_token: refresh,
      });
      out.answers.push(sent.answer);
      // After a 503 the client retries the same refresh token (the server undid the rotation).
      if (sent.answer.status === 200) {
        if (!rotated) out.redeemedRefresh.push(refresh);
        rotated = true;
        refresh = String(sent.body.refresh_token);
        pool.push(String(sent.body.access_token));
      }
    } else if (step === 3 && pool.length > 0) {
      const token = pool.shift()!;
      const sent = await send(opts, url, 'revoke', { token, token_type_hint: 'access_token' });
      out.answers.push(sent.answer);
      // A revocation answered 503 may or may not have happened: neither list claims it.
      if (sent.answer.status === 200) out.revoked.push(token);
    } else {
      const sent = await send(opts, url, 'issue', {
        grant_type: 'client_credentials',
        scope: 'cache:read',
      });
      out.answers.push(sent.answer);
      if (sent.answer.status === 200) pool.push(String(sent.body.access_token));
    }
    // Every other token handed out is kept to the end; the rest are candidates for revocation.
    while (pool.length > 2) out.kept.push(pool.shift()!);
    await sleep(opts.paceMs);
  }
  out.kept.push(...pool);
  out.currentRefresh.push(refresh);
}

export async function runLoad(opts: LoadOptions): Promise<LoadOutcome> {
  const out: LoadOutcome = {
    answers: [],
    kept: [],
    revoked: [],
    currentRefresh: [],
    redeemedRefresh: [],
  };
  await Promise.all(opts.refreshTokens.map((_, i) => worker(opts, i, out)));
  return out;
}
