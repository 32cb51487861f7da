import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ClientExistsError,
  ClientNotFoundError,
  ClientValidationError,
} from '../clients/client.errors';
import { UsernameTakenError, UserNotFoundError, UserValidationError } from '../users/user.errors';

type AdminError =
  | ClientValidationError
  | ClientNotFoundError
  | ClientExistsError
  | UserValidationError
  | UserNotFoundError
  | UsernameTakenError;

/**
 * Maps the registries' domain errors to admin API answers: invalid input is 400
 * `invalid_request` listing every problem (never a 500), an unknown client or user 404, an
 * id or username collision 409. Redis outages are left to the global AppExceptionFilter (503).
 */
@Catch(
  ClientValidationError,
  ClientNotFoundError,
  ClientExistsError,
  UserValidationError,
  UserNotFoundError,
  UsernameTakenError,
)
export class AdminErrorsFilter implements ExceptionFilter<AdminError> {
  catch(err: AdminError, host: ArgumentsHost): void {
    const [status, error] = answer(err);
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .header('Cache-Control', 'no-store')
      .send({ error, error_description: err.message });
  }
}

function answer(err: AdminError): [HttpStatus, string] {
  if (err instanceof ClientValidationError || err instanceof UserValidationError)
    return [HttpStatus.BAD_REQUEST, 'invalid_request'];
  if (err instanceof ClientNotFoundError || err instanceof UserNotFoundError)
    return [HttpStatus.NOT_FOUND, 'not_found'];
  if (err instanceof UsernameTakenError) return [HttpStatus.CONFLICT, 'username_taken'];
  return [HttpStatus.CONFLICT, 'client_exists'];
}
