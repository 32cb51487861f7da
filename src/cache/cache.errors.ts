import { HttpException, HttpStatus } from '@nestjs/common';

/** Bad input to the cache API: 400 with the one error shape `{error, error_description}`. */
export class CacheRequestError extends HttpException {
  constructor(description: string) {
    super({ error: 'invalid_request', error_description: description }, HttpStatus.BAD_REQUEST);
  }
}

/** A value over CACHE_MAX_VALUE_BYTES (the body parser refuses larger bodies first). */
export class CacheValueTooLargeError extends HttpException {
  constructor(limit: number) {
    super(
      {
        error: 'value_too_large',
        error_description: `the value exceeds the limit of ${limit} bytes`,
      },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
}

/** The token's client may not use this namespace (not in its `cache_services`). */
export class CacheNamespaceForbiddenError extends HttpException {
  constructor(service: string) {
    super(
      {
        error: 'access_denied',
        error_description: `this client may not use the cache service ${JSON.stringify(service)} (not in its cache_services)`,
      },
      HttpStatus.FORBIDDEN,
    );
  }
}
