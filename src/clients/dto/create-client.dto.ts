import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { ClientType, CreateClientInput, GrantType } from '../client.types';
import { CLIENT_TYPES, GRANT_TYPES } from '../client-validation';

/**
 * Wire shape of a client in the admin API and the bootstrap file: snake_case, like
 * RFC 7591 client metadata (`client_id`, `redirect_uris`, `grant_types`). The DTO checks
 * shape; ClientsService checks meaning (scopes configured, redirect URI rules, ...).
 */
export class CreateClientDto {
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message:
      'client_id must be 1-128 characters of A-Z a-z 0-9 . _ - starting with a letter or digit',
  })
  client_id?: string;

  @IsString() @MinLength(1) @MaxLength(200) name!: string;

  @IsIn(CLIENT_TYPES, { message: 'type must be confidential or public' })
  type!: ClientType;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  redirect_uris?: string[];

  @IsArray()
  @IsIn(GRANT_TYPES, {
    each: true,
    message: `each grant_types entry must be one of ${GRANT_TYPES.join(', ')}`,
  })
  grant_types!: GrantType[];

  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) scopes!: string[];

  @IsOptional() @IsInt() @Min(1) access_token_ttl_seconds?: number;

  @IsOptional() @IsInt() @Min(1) refresh_token_ttl_seconds?: number;
}

export function toCreateClientInput(dto: CreateClientDto): CreateClientInput {
  return {
    id: dto.client_id,
    name: dto.name,
    type: dto.type,
    redirectUris: dto.redirect_uris,
    grantTypes: dto.grant_types,
    scopes: dto.scopes,
    accessTokenTtlSeconds: dto.access_token_ttl_seconds,
    refreshTokenTtlSeconds: dto.refresh_token_ttl_seconds,
  };
}
