import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { loadConfig, readEnvFile } from './config/load-config';
import { OperatorError } from './config/operator-error';

async function main(): Promise<void> {
  const config = loadConfig({ ...readEnvFile(), ...process.env });
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  new Logger('Bootstrap').log(`listening on http://${config.http.host}:${config.http.port}`);
}

main().catch((err: unknown) => {
  if (!(err instanceof OperatorError)) throw err;
  // One clear message, no stack trace: the operator has something to fix, not a bug.
  process.stderr.write(`tollgate: ${err.message}\n`);
  process.exit(1);
});
