import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

const VAR = 'OAUTH_SCOPE_DESCRIPTIONS';

describe('OAUTH_SCOPE_DESCRIPTIONS', () => {
  it('is empty by default', () => {
    expect(loadConfig({}).interaction.scopeDescriptions.size).toBe(0);
  });

  it('reads a JSON object of scope -> description, any character allowed in the text', () => {
    const descriptions = loadConfig({
      [VAR]: '{"openid":"Sign you in; know who=you are","cache:read":" Read \\"cached\\" data "}',
    }).interaction.scopeDescriptions;
    expect([...descriptions]).toEqual([
      ['openid', 'Sign you in; know who=you are'],
      ['cache:read', 'Read "cached" data'],
    ]);
  });

  it('treats a scope named like an Object property as a plain key', () => {
    const config = loadConfig({ OAUTH_SCOPES: 'openid constructor', [VAR]: '{"openid":"x"}' });
    expect(config.interaction.scopeDescriptions.get('constructor')).toBeUndefined();
  });

  it.each([
    ['not JSON', 'openid=Sign in', /must be a JSON object/],
    ['an array', '["openid"]', /must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
    ['an unknown scope', '{"opnid":"Sign in"}', /"opnid" is not a scope of OAUTH_SCOPES/],
    ['a non-string', '{"openid":5}', /"openid" must be a non-empty string/],
    ['an empty text', '{"openid":"  "}', /"openid" must be a non-empty string/],
    ['a line break', '{"openid":"a\\nb"}', /printable characters on one line/],
    ['a long text', `{"openid":"${'x'.repeat(201)}"}`, /at most 200/],
  ])('refuses %s at start-up, naming the variable', (_name, value, message) => {
    const problems = problemsOf({ [VAR]: value });
    expect(problems).toEqual([expect.stringMatching(message)]);
    expect(problems[0].startsWith(`${VAR}: `)).toBe(true);
  });

  it('lists every bad entry at once', () => {
    expect(problemsOf({ [VAR]: '{"a":"x","b":"y","openid":"ok"}' })).toHaveLength(2);
  });
});
