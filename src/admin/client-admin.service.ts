import { Injectable } from '@nestjs/common';
import { ClientNotFoundError } from '../clients/client.errors';
import { ClientsService } from '../clients/clients.service';
import { RedisUnavailableException } from '../redis/redis-unavailable';
import { TokensService } from '../tokens/tokens.service';

/**
 * Admin operations that span the client registry and the tokens, shared by the admin API
 * and the CLI so both do exactly the same thing.
 */
@Injectable()
export class ClientAdmin {
  constructor(
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
  ) {}

  /**
   * Deletes the client first (from then on no token can be issued under it: the tokens
   * module checks the client's generation), then revokes every token it still has. If the
   * revocation fails the client stays deleted; `revokeTokens` finishes the job.
   */
  async delete(id: string): Promise<{ revoked: number }> {
    if (!(await this.clients.delete(id))) throw new ClientNotFoundError(id);
    try {
      return { revoked: await this.tokens.revokeAllForClient(id) };
    } catch (err) {
      if (!(err instanceof RedisUnavailableException)) throw err;
      throw new RedisUnavailableException(
        err.connectionState,
        `client ${JSON.stringify(id)} was deleted, but revoking its tokens failed; retry with ` +
          `POST /api/v1/admin/clients/${id}/revoke-tokens (CLI: clients revoke-tokens --id ${id})`,
      );
    }
  }

  /**
   * Revokes every live token issued to `id`. Works for a deleted id too, so a deletion whose
   * revocation failed can be completed; an id that never existed revokes nothing.
   */
  async revokeTokens(id: string): Promise<{ revoked: number }> {
    return { revoked: await this.tokens.revokeAllForClient(id) };
  }
}
