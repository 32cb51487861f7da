import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { AppConfig } from '../config/app-config';
import { OperatorError } from '../config/operator-error';
import type { ConnectionState } from '../redis/connection-state';
import type { RedisConnection } from '../redis/redis-connection';
import { REDIS_AUTH_CONNECTION } from '../redis/redis.tokens';
import { UpsertClientInput, validateDeclaredClient } from './client-upsert';
import { ClientsService } from './clients.service';
import {
  BootstrapClientDto,
  BootstrapFileDto,
  toUpsertClientInput,
} from './dto/bootstrap-file.dto';
import { checkDto, isJsonObject } from './dto/check-dto';

/** The bootstrap file cannot be used; start-up stops with this message. */
export class ClientsBootstrapFileError extends OperatorError {
  constructor(path: string, problems: readonly string[]) {
    super(
      `CLIENTS_BOOTSTRAP_FILE ${path} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ClientsBootstrapFileError';
  }
}

const RETRY_MS = 5000;

/**
 * Applies the bootstrap file (config.oauth.clientsBootstrapFile) once per process, so a
 * Kubernetes init job or a fresh install can seed clients. The file is read and checked
 * during start-up, so a malformed one stops the process at once; the writes wait for the
 * auth Redis connection in the background, because start-up never blocks on Redis.
 * Upserts are idempotent: several pods applying the same file converge on one state.
 */
@Injectable()
export class ClientBootstrap implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClientBootstrap.name);
  private pending: UpsertClientInput[] = [];
  private running = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly onState = (state: ConnectionState) => {
    if (state === 'connected') void this.apply();
  };

  constructor(
    private readonly config: AppConfig,
    private readonly clients: ClientsService,
    @Inject(REDIS_AUTH_CONNECTION) private readonly connection: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    const path = this.config.oauth.clientsBootstrapFile;
    if (!path) return;
    this.pending = readBootstrapFile(path, this.config.oauth.scopes);
    this.connection.on('state', this.onState);
    if (this.connection.isReady()) void this.apply();
  }

  onApplicationShutdown(): void {
    this.connection.off('state', this.onState);
    clearTimeout(this.retryTimer);
  }

  /** Upserts what is still pending; on a Redis failure retries on reconnect or after a pause. */
  private async apply(): Promise<void> {
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    clearTimeout(this.retryTimer);
    try {
      while (this.pending.length > 0) {
        const input = this.pending[0];
        const { created } = await this.clients.upsert(input);
        this.logger.log(`bootstrap client ${input.id} ${created ? 'created' : 'checked'}`);
        this.pending.shift();
      }
      this.connection.off('state', this.onState);
    } catch (err) {
      this.logger.warn(`bootstrap of clients paused: ${(err as Error).message}; will retry`);
      this.retryTimer = setTimeout(() => void this.apply(), RETRY_MS).unref();
    } finally {
      this.running = false;
    }
  }
}

/**
 * Upserts declared clients one by one (the CLI's `clients apply`, run by the Helm chart's
 * hook Job); stops at the first failure. Idempotent, like the start-up bootstrap.
 */
export async function applyDeclaredClients(
  clients: ClientsService,
  inputs: readonly UpsertClientInput[],
): Promise<Array<{ client_id: string; created: boolean }>> {
  const applied = [];
  for (const input of inputs) {
    const { client, created } = await clients.upsert(input);
    applied.push({ client_id: client.id, created });
  }
  return applied;
}

/** Reads, parses and fully validates the file; throws ClientsBootstrapFileError listing every problem. */
export function readBootstrapFile(path: string, scopes: readonly string[]): UpsertClientInput[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ClientsBootstrapFileError(path, [(err as Error).message]);
  }
  const { dto: file, problems } = checkDto(
    BootstrapFileDto,
    raw,
    'the file must hold a JSON object {"clients": [...]}',
  );
  if (!file.clients) throw new ClientsBootstrapFileError(path, problems);
  const inputs = file.clients.map((entry, i) => {
    const { dto, problems: shape } = checkDto(BootstrapClientDto, entry, 'must be a JSON object');
    const input = toUpsertClientInput(dto);
    const where = `clients[${i}]${input.id ? ` (${input.id})` : ''}`;
    // A non-object entry has no fields to judge further.
    const meaning = isJsonObject(entry) ? validateDeclaredClient(input, scopes) : [];
    problems.push(...[...shape, ...meaning].map((p) => `${where}: ${p}`));
    return input;
  });
  const ids = inputs.map((c) => c.id);
  ids
    .filter((id, i) => id && ids.indexOf(id) !== i)
    .forEach((id) => problems.push(`client_id ${id} is declared more than once`));
  if (problems.length > 0) throw new ClientsBootstrapFileError(path, problems);
  return inputs;
}
