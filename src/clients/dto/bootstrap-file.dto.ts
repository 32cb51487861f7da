import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { UpsertClientInput } from '../client-upsert';
import { CreateClientDto, toCreateClientInput } from './create-client.dto';

/** One declared client: like the admin API body, but the id is required. */
export class BootstrapClientDto extends CreateClientDto {
  @IsString() declare client_id: string;

  /** Optional: omit it to keep secrets out of the file and rotate one via the CLI. */
  @IsOptional() @IsString() client_secret?: string;
}

/** The bootstrap file: `{ "clients": [ ... ] }` (docs/admin.md). */
export class BootstrapFileDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BootstrapClientDto)
  clients!: BootstrapClientDto[];
}

export function toUpsertClientInput(dto: BootstrapClientDto): UpsertClientInput {
  return { ...toCreateClientInput(dto), id: dto.client_id, clientSecret: dto.client_secret };
}
