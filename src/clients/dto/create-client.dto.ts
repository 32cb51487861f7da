import { IsBoolean, IsOptional } from 'class-validator';
import type {
  ClientType,
  CreateClientInput,
  GrantType,
  TokenEndpointAuthMethod,
} from '../client.types';
import { EXPECT, IsStringList, IsStringOf, IsTtl } from './field-rules';
import { OptionalNotNull, Required } from '../../validation/presence-rules';

/**
 * POST /api/v1/admin/clients, and the base of a bootstrap file entry. Wire names are
 * snake_case like RFC 7591 client metadata (`client_id`, `redirect_uris`, `grant_types`).
 * Shape only: the values (known grant types, configured scopes, redirect URI rules) are
 * judged by ClientsService, which lists its problems together with these.
 */
export class CreateClientDto {
  @OptionalNotNull(EXPECT.string)
  @IsStringOf(EXPECT.string)
  client_id?: string;

  @Required(EXPECT.type)
  @IsStringOf(EXPECT.type)
  type!: string;

  @Required(EXPECT.name)
  @IsStringOf(EXPECT.name)
  name!: string;

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

  @Required(EXPECT.list)
  @IsStringList()
  grant_types!: string[];

  @Required(EXPECT.list)
  @IsStringList()
  scopes!: string[];

  /** Service cache namespaces the client's tokens may use (default none). */
  @OptionalNotNull(EXPECT.list)
  @IsStringList()
  cache_services?: string[];

  /** null, like leaving it out, means the server default. */
  @IsOptional()
  @IsTtl()
  access_token_ttl_seconds?: number | null;

  @IsOptional()
  @IsTtl()
  refresh_token_ttl_seconds?: number | null;
}

/**
 * The registry's input. Required fields a problem removed are left undefined; the registry
 * judges only the fields present, and reports the shape problems before using any value.
 */
export function toCreateClientInput(dto: CreateClientDto): CreateClientInput {
  return {
    id: dto.client_id,
    // Strings and lists of strings here; ClientsService checks they name known values.
    type: dto.type as ClientType,
    name: dto.name,
    tokenEndpointAuthMethod: dto.token_endpoint_auth_method as TokenEndpointAuthMethod | undefined,
    resourceServer: dto.resource_server,
    requirePkce: dto.require_pkce,
    redirectUris: dto.redirect_uris,
    grantTypes: dto.grant_types as GrantType[],
    scopes: dto.scopes,
    cacheServices: dto.cache_services,
    accessTokenTtlSeconds: dto.access_token_ttl_seconds ?? undefined,
    refreshTokenTtlSeconds: dto.refresh_token_ttl_seconds ?? undefined,
  };
}
