import { IsBoolean, IsOptional } from 'class-validator';
import type { GrantType, TokenEndpointAuthMethod, UpdateClientInput } from '../client.types';
import { CannotChange, EXPECT, IsStringList, IsStringOf, IsTtl } from './field-rules';
import { OptionalNotNull } from '../../validation/presence-rules';

/**
 * PATCH /api/v1/admin/clients/{id}: only the fields present change. `null` clears a TTL
 * override (back to the server default); for any other field it is a problem, since
 * required fields cannot be cleared and a list is emptied with `[]`.
 */
export class UpdateClientDto {
  @CannotChange()
  client_id?: never;

  @CannotChange()
  type?: never;

  @OptionalNotNull(EXPECT.name)
  @IsStringOf(EXPECT.name)
  name?: string;

  @OptionalNotNull(EXPECT.authMethod)
  @IsStringOf(EXPECT.authMethod)
  token_endpoint_auth_method?: string;

  @OptionalNotNull(EXPECT.boolean)
  @IsBoolean({ message: `$property must be ${EXPECT.boolean}` })
  resource_server?: boolean;

  /** Default true; false lets a confidential client send requests without PKCE. */
  @OptionalNotNull(EXPECT.boolean)
  @IsBoolean({ message: `$property must be ${EXPECT.boolean}` })
  require_pkce?: boolean;

  @OptionalNotNull(EXPECT.list)
  @IsStringList()
  redirect_uris?: string[];

  @OptionalNotNull(EXPECT.list)
  @IsStringList()
  grant_types?: string[];

  @OptionalNotNull(EXPECT.list)
  @IsStringList()
  scopes?: string[];

  @OptionalNotNull(EXPECT.list)
  @IsStringList()
  cache_services?: string[];

  @IsOptional()
  @IsTtl()
  access_token_ttl_seconds?: number | null;

  @IsOptional()
  @IsTtl()
  refresh_token_ttl_seconds?: number | null;
}

/** The registry's change: undefined leaves a field as it is, a null TTL clears it. */
export function toUpdateClientInput(dto: UpdateClientDto): UpdateClientInput {
  return {
    name: dto.name,
    // Strings and lists of strings here; ClientsService checks they name known values.
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method as TokenEndpointAuthMethod | undefined,
    resourceServer: dto.resource_server,
    requirePkce: dto.require_pkce,
    redirectUris: dto.redirect_uris,
    grantTypes: dto.grant_types as GrantType[] | undefined,
    scopes: dto.scopes,
    cacheServices: dto.cache_services,
    accessTokenTtlSeconds: dto.access_token_ttl_seconds,
    refreshTokenTtlSeconds: dto.refresh_token_ttl_seconds,
  };
}
