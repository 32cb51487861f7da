import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';
import { RedisUserStore } from './redis-user.store';
import { UserStore } from './user.store';
import { UsersService } from './users.service';

/** Resource owners (auth:user:*, auth:username:*) and password hashing. Depends on config and Redis. */
@Module({
  providers: [{ provide: UserStore, useClass: RedisUserStore }, PasswordHasher, UsersService],
  exports: [UsersService],
})
export class UsersModule {}
