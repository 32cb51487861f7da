import { ScriptError, scriptError } from '../../../src/redis/script-errors';
import {
  checkTokenReply,
  ClientChangedError,
  DuplicateKeyError,
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
  TOKEN_SCRIPT_CODES,
} from '../../../src/tokens/token.errors';

describe('token script error mapping', () => {
  it.each([
    ['rotateRefreshToken', -1, InvalidRefreshTokenError],
    ['rotateRefreshToken', -2, RefreshTokenReusedError],
    ['rotateRefreshToken', -3, ScopeExceedsGrantError],
    ['rotateRefreshToken', -4, DuplicateKeyError],
    ['rotateRefreshToken', -5, ClientChangedError],
    ['rotateRefreshToken', -6, ScopeExceedsGrantError],
    ['issueTokens', -1, DuplicateKeyError],
    ['issueTokens', -2, ClientChangedError],
    ['saveCode', -1, DuplicateKeyError],
  ] as const)('maps %s code %i to %p', (script, code, type) => {
    const err = scriptError(script, code, TOKEN_SCRIPT_CODES);
    expect(err).toBeInstanceOf(type);
    expect(err).toBeInstanceOf(ScriptError);
    expect(err).toMatchObject({ script, code, name: type.name });
  });

  it('owns its codes: the central map no longer knows the token scripts', () => {
    expect(scriptError('rotateRefreshToken', -2).constructor).toBe(ScriptError);
  });

  it('maps an unknown code to a plain ScriptError naming script and code', () => {
    const err = scriptError('rotateRefreshToken', -99, TOKEN_SCRIPT_CODES);
    expect(err.constructor).toBe(ScriptError);
    expect(err.message).toContain('-99');
  });

  it('passes non-negative and non-numeric replies through', () => {
    expect(checkTokenReply('issueTokens', 1)).toBe(1);
    expect(checkTokenReply('rotateRefreshToken', ['openid profile', 60])).toEqual([
      'openid profile',
      60,
    ]);
  });

  it('throws the typed error for a negative reply', () => {
    expect(() => checkTokenReply('rotateRefreshToken', -2)).toThrow(RefreshTokenReusedError);
  });
});
