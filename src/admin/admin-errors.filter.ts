import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ClientExistsError,
  ClientNotFoundError,
  ClientValidationError,
} from '../clients/client.errors';

type ClientError = ClientValidationError | ClientNotFoundError | ClientExistsError;

/**
 * Maps the registry's domain errors to admin API answers: invalid input is 400
 * `invalid_request` listing every problem (never a 500), an unknown client 404, an id
 * collision 409. Redis outages are left to the global AppExceptionFilter (503).
 */
@Catch(ClientValidationError, ClientNotFoundError, ClientExistsError)
export class AdminErrorsFilter implements ExceptionFilter<ClientError> {
  catch(err: ClientError, host: ArgumentsHost): void {
    const [status, error] =
      err instanceof ClientValidationError
        ? [HttpStatus.BAD_REQUEST, 'invalid_request']
        : err instanceof ClientNotFoundError
          ? [HttpStatus.NOT_FOUND, 'not_found']
          : [HttpStatus.CONFLICT, 'client_exists'];
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .header('Cache-Control', 'no-store')
      .send({ error, error_description: err.message });
  }
}
