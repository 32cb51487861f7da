import { IsArray } from 'class-validator';
import type { UpsertClientInput } from '../client-upsert';
import { CreateClientDto, toCreateClientInput } from './create-client.dto';
import { EXPECT, IsStringOf } from './field-rules';
import { OptionalNotNull } from '../../validation/presence-rules';

/** The bootstrap file, `{ "clients": [ ... ] }` (docs/admin.md). */
export class BootstrapFileDto {
  /**
   * Each entry is checked as a BootstrapClientDto on its own (readBootstrapFile), not with
   * @ValidateNested: its shape problems are then listed under its index and id, next to
   * the registry's problems with the same client.
   */
  @IsArray({ message: 'the file must hold a JSON object {"clients": [...]}' })
  clients!: unknown[];
}

/**
 * One declared client: the admin API create body plus an optional secret. A missing
 * `client_id` is reported by validateDeclaredClient, which every declared client passes.
 */
export class BootstrapClientDto extends CreateClientDto {
  /** Optional: leave it out to keep secrets out of the file, and rotate one via the CLI. */
  @OptionalNotNull(EXPECT.string)
  @IsStringOf(EXPECT.string)
  client_secret?: string;
}

export function toUpsertClientInput(dto: BootstrapClientDto): UpsertClientInput {
  return { ...toCreateClientInput(dto), id: dto.client_id ?? '', clientSecret: dto.client_secret };
}
