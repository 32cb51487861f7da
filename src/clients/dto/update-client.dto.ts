import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { GrantType, UpdateClientInput } from '../client.types';
import { GRANT_TYPES } from '../client-validation';

/** Partial change of a client (admin API PATCH); `client_id` and `type` never change. */
export class UpdateClientDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  redirect_uris?: string[];

  @IsOptional()
  @IsArray()
  @IsIn(GRANT_TYPES, {
    each: true,
    message: `each grant_types entry must be one of ${GRANT_TYPES.join(', ')}`,
  })
  grant_types?: GrantType[];

  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) scopes?: string[];

  @IsOptional() @IsInt() @Min(1) access_token_ttl_seconds?: number;

  @IsOptional() @IsInt() @Min(1) refresh_token_ttl_seconds?: number;
}

export function toUpdateClientInput(dto: UpdateClientDto): UpdateClientInput {
  return {
    name: dto.name,
    redirectUris: dto.redirect_uris,
    grantTypes: dto.grant_types,
    scopes: dto.scopes,
    accessTokenTtlSeconds: dto.access_token_ttl_seconds,
    refreshTokenTtlSeconds: dto.refresh_token_ttl_seconds,
  };
}
