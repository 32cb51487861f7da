/**
 * Checks the logs captured with TOLLGATE_LOG_CAPTURE_DIR (log-capture.ts) for credentials:
 *   TOLLGATE_LOG_CAPTURE_DIR=/tmp/tollgate-logs npx jest --selectProjects integration ...
 *   npm run test:log-secrets -- /tmp/tollgate-logs
 * Prints how many lines were checked and every finding; exits 1 when there is one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCredentials } from './log-capture';

function main(dir: string | undefined): number {
  if (!dir) {
    console.error('usage: check-captured-logs DIR');
    return 2;
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  const lines = files.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean),
  );
  const findings = findCredentials(lines);
  console.log(`${files.length} app logs, ${lines.length} lines, ${findings.length} findings`);
  for (const { rule, line } of findings.slice(0, 50)) console.log(`${rule}: ${line}`);
  return findings.length === 0 && lines.length > 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
