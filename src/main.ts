import 'reflect-metadata';
import { createApp } from './bootstrap';
import { ConfigValidationError, loadConfig, readEnvFile } from './config/load-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...readEnvFile(), ...process.env });
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    // One clear message, no stack trace: this is an operator error, not a bug.
    process.stderr.write(`tollgate: ${err.message}\n`);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
}

void main();
