import { MAX_FIELD_LENGTH, isFormContentType, parseOAuthForm } from '../../../src/auth/form-body';
import { OAuthError } from '../../../src/auth/errors';

const FORM = 'application/x-www-form-urlencoded';

function rejection(contentType: string | undefined, body: unknown): string {
  try {
    parseOAuthForm(contentType, body);
  } catch (err) {
    expect(err).toBeInstanceOf(OAuthError);
    expect((err as OAuthError).error).toBe('invalid_request');
    return (err as OAuthError).description;
  }
  throw new Error('expected invalid_request');
}

describe('OAuth form bodies', () => {
  it.each([
    FORM,
    'application/x-www-form-urlencoded; charset=UTF-8',
    'Application/X-WWW-Form-Urlencoded',
  ])('accepts the content type %s', (contentType) =>
    expect(isFormContentType(contentType)).toBe(true),
  );

  it.each([
    undefined,
    '',
    'application/json',
    'text/plain',
    'multipart/form-data',
    'application/x-www-form-urlencodedx',
  ])('rejects the content type %p', (contentType) => {
    expect(rejection(contentType, {})).toBe(
      'Invalid request: content must be application/x-www-form-urlencoded',
    );
  });

  it('returns single string parameters and drops empty ones (RFC 6749 section 3.1)', () => {
    expect({ ...parseOAuthForm(FORM, { grant_type: 'client_credentials', scope: '' }) }).toEqual({
      grant_type: 'client_credentials',
    });
  });

  it('treats a missing body as no parameters', () => {
    expect({ ...parseOAuthForm(FORM, undefined) }).toEqual({});
  });

  it('rejects a parameter included more than once (RFC 6749 section 3.2)', () => {
    expect(rejection(FORM, { scope: ['a', 'b'] })).toBe(
      'Invalid request: parameter `scope` is included more than once',
    );
  });

  it('rejects oversized values and names', () => {
    expect(rejection(FORM, { code: 'x'.repeat(MAX_FIELD_LENGTH + 1) })).toBe(
      `Invalid request: parameter \`code\` exceeds ${MAX_FIELD_LENGTH} characters`,
    );
    expect(parseOAuthForm(FORM, { code: 'x'.repeat(MAX_FIELD_LENGTH) }).code).toHaveLength(
      MAX_FIELD_LENGTH,
    );
    expect(rejection(FORM, { ['n'.repeat(MAX_FIELD_LENGTH + 1)]: 'v' })).toBe(
      'Invalid request: parameter name too long',
    );
  });

  it('rejects non-string values and non-object bodies', () => {
    expect(rejection(FORM, { token: { nested: 'x' } })).toBe(
      'Invalid request: malformed parameter `token`',
    );
    expect(rejection(FORM, 'grant_type=x')).toBe('Invalid request: malformed form body');
    expect(rejection(FORM, ['x'])).toBe('Invalid request: malformed form body');
  });

  it('rejects too many parameters', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, 'v']));
    expect(rejection(FORM, many)).toBe('Invalid request: too many parameters');
  });

  it('keeps __proto__ as a plain parameter without touching prototypes', () => {
    const body = JSON.parse('{"__proto__":"x","grant_type":"client_credentials"}') as unknown;
    const form = parseOAuthForm(FORM, body);
    expect(form.grant_type).toBe('client_credentials');
    expect(Object.getPrototypeOf(form)).toBeNull();
  });
});
