import { Module } from '@nestjs/common';
import { ConsentStore } from './consent.store';
import { ConsentsService } from './consents.service';
import { RedisConsentStore } from './redis-consent.store';

/** Remembered consents (auth:consent:*). Uses the global RedisModule (REDIS_AUTH). */
@Module({
  providers: [{ provide: ConsentStore, useClass: RedisConsentStore }, ConsentsService],
  exports: [ConsentsService],
})
export class ConsentsModule {}
