/**
 * Whole-suite log capture (opt-in): with TOLLGATE_LOG_CAPTURE_DIR set, every app the
 * integration suites start through startApp logs at trace into a file in that directory,
 * and `npm run test:log-secrets -- DIR` (check-captured-logs.ts) then looks for credentials
 * in all of it. The suites do not know each other's secrets, so the check looks for their
 * shapes: Authorization values, credential-named fields that are not "[Redacted]",
 * credential query parameters, and 256-bit base64url values (every generated token, code,
 * client secret, session id and CSRF token has that shape) outside the parameters that
 * carry public values of that shape (interaction ids, PKCE challenges).
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';

export const CAPTURE_DIR_VARIABLE = 'TOLLGATE_LOG_CAPTURE_DIR';

let counter = 0;

/** A file destination in the capture directory, or undefined when capture is off. */
export function captureDestination(): DestinationStream | undefined {
  const dir = process.env[CAPTURE_DIR_VARIABLE];
  if (!dir) return undefined;
  counter += 1;
  const worker = process.env.JEST_WORKER_ID ?? '0';
  return createWriteStream(join(dir, `app-${process.pid}-${worker}-${counter}.log`), {
    flags: 'a',
  });
}

/** Credential shapes in a log line (see the file comment); each finding names its rule. */
const RULES: ReadonlyArray<[string, RegExp]> = [
  ['Authorization value', /\b(Basic|Bearer) +(?!\[Redacted\])[A-Za-z0-9+/._~-]{8,}/i],
  [
    'credential field',
    /"(client_secret|password|token|access_token|refresh_token|code|code_verifier|secret|adminToken|authorization|cookie)":"(?!\[Redacted\])[^"]+"/i,
  ],
  [
    'credential query parameter',
    /[?&](access_token|refresh_token|token|code|client_secret|password|code_verifier)=(?!\[Redacted\])[^&"\s]+/i,
  ],
  [
    '256-bit base64url value',
    /(?<![A-Za-z0-9_-]|interaction=|code_challenge=|"interaction":")[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
  ],
];

export interface Finding {
  readonly rule: string;
  readonly line: string;
}

export function findCredentials(lines: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const line of lines) {
    for (const [rule, pattern] of RULES) {
      if (pattern.test(line)) findings.push({ rule, line });
    }
  }
  return findings;
}
