import { Injectable } from '@nestjs/common';
import { DurableWriter } from '../redis/durable-writer';
import { keys } from '../redis/keys';
import { storageCall } from '../redis/redis-unavailable';
import { CodeStore } from './code.store';
import { checkTokenReply } from './token.errors';
import { codeFields, toCodeData, toFields } from './token-record';
import type { AuthorizationCodeData } from './token.types';

/** CodeStore on the auth DB through saveCode-1.lua and consumeCode-1.lua. */
@Injectable()
export class RedisCodeStore extends CodeStore {
  constructor(private readonly writer: DurableWriter) {
    super();
  }

  saveCode(digest: string, data: AuthorizationCodeData, ttlSeconds: number): Promise<void> {
    return storageCall(async () => {
      const reply = await this.writer.write<number>((p) =>
        p.saveCode(keys.code(digest), ttlSeconds, ...codeFields(data)),
      );
      checkTokenReply('saveCode', reply);
    });
  }

  consumeCode(digest: string): Promise<AuthorizationCodeData | null> {
    return storageCall(async () => {
      const record = await this.writer.write<string[] | null>((p) =>
        p.consumeCode(keys.code(digest)),
      );
      return record ? toCodeData(toFields(record)) : null;
    });
  }
}
