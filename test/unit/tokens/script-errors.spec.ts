import {
  checkScriptReply,
  DuplicateKeyError,
  ScriptError,
  scriptError,
} from '../../../src/redis/script-errors';
import {
  InvalidRefreshTokenError,
  RefreshTokenReusedError,
  ScopeExceedsGrantError,
} from '../../../src/tokens/token.errors';

describe('script error mapping', () => {
  it.each([
    ['rotateRefreshToken', -1, InvalidRefreshTokenError],
    ['rotateRefreshToken', -2, RefreshTokenReusedError],
    ['rotateRefreshToken', -3, ScopeExceedsGrantError],
    ['rotateRefreshToken', -4, DuplicateKeyError],
    ['issueTokens', -1, DuplicateKeyError],
    ['saveCode', -1, DuplicateKeyError],
  ] as const)('maps %s code %i to %p', (script, code, type) => {
    const err = scriptError(script, code);
    expect(err).toBeInstanceOf(type);
    expect(err).toBeInstanceOf(ScriptError);
    expect(err).toMatchObject({ script, code, name: type.name });
  });

  it('maps an unknown code to a plain ScriptError naming script and code', () => {
    const err = scriptError('rotateRefreshToken', -99);
    expect(err.constructor).toBe(ScriptError);
    expect(err.message).toContain('-99');
  });

  it('passes non-negative and non-numeric replies through', () => {
    expect(checkScriptReply('issueTokens', 1)).toBe(1);
    expect(checkScriptReply('rotateRefreshToken', 'openid profile')).toBe('openid profile');
    expect(checkScriptReply('revokeToken', ['access_token', 0])).toEqual(['access_token', 0]);
  });

  it('throws the typed error for a negative reply', () => {
    expect(() => checkScriptReply('rotateRefreshToken', -2)).toThrow(RefreshTokenReusedError);
  });
});
