import { applyDeclaredClients, readBootstrapFile } from '../../clients/client-bootstrap';
import { ClientNotFoundError } from '../../clients/client.errors';
import type { ClientsService } from '../../clients/clients.service';
import type { ClientAdmin } from '../client-admin.service';
import { presentClient, presentClientWithSecret } from '../client.presenter';
import type { CliCommand } from './cli-args';

/** Runs one parsed `clients` command; the result is printed as JSON by main.ts. */
export async function runClientsCommand(
  clients: ClientsService,
  admin: ClientAdmin,
  command: CliCommand,
  scopes: readonly string[],
): Promise<unknown> {
  switch (command.kind) {
    case 'create':
      return presentClientWithSecret(await clients.create(command.input));
    case 'list':
      return { clients: (await clients.list()).map(presentClient) };
    case 'get': {
      const client = await clients.get(command.id);
      if (!client) throw new ClientNotFoundError(command.id);
      return presentClient(client);
    }
    case 'rotate':
      return presentClientWithSecret(
        await clients.rotateSecret(command.id, { graceSeconds: command.graceSeconds }),
      );
    case 'delete':
      return { client_id: command.id, deleted: true, ...(await admin.delete(command.id)) };
    case 'revoke-tokens':
      return { client_id: command.id, ...(await admin.revokeTokens(command.id)) };
    case 'apply':
      // Validated in full before the first write, like the server's start-up does.
      return {
        clients: await applyDeclaredClients(clients, readBootstrapFile(command.file, scopes)),
      };
  }
}
