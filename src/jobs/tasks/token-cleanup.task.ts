import { Injectable } from '@nestjs/common';
import { AppConfig, JobScheduleConfig } from '../../config/app-config';
import { TokensService } from '../../tokens/tokens.service';
import { CleanupTask, drainInSteps } from '../cleanup-task';
import { IndexSweepStore, MAX_PAGES_PER_RUN, sweepIndexes } from '../index-sweep.store';

/**
 * `token-cleanup`: drains the legacy global index `auth_token_cleanup` and drops expired
 * entries from the per-client and per-user token indexes. Those indexes are trimmed on every
 * write and expire with their longest-lived token already; this reaches the indexes of
 * clients and users that stopped getting tokens, which would otherwise keep their expired
 * entries until that TTL (up to the refresh-token lifetime). Tokens expire by their own TTL.
 */
@Injectable()
export class TokenCleanupTask implements CleanupTask {
  readonly name = 'token-cleanup';
  readonly schedule: JobScheduleConfig;

  constructor(
    config: AppConfig,
    private readonly tokens: TokensService,
    private readonly sweeper: IndexSweepStore,
  ) {
    this.schedule = config.jobs.tokenCleanup;
  }

  async run(batch: number): Promise<number> {
    let removed = await drainInSteps(
      (n) => this.tokens.cleanupExpired(n),
      batch,
      MAX_PAGES_PER_RUN,
    );
    removed += await sweepIndexes(this.sweeper, 'client-tokens', batch);
    removed += await sweepIndexes(this.sweeper, 'user-tokens', batch);
    return removed;
  }
}
