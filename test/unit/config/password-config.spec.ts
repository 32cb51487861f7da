import { loadConfig } from '../../../src/config/load-config';
import { problemsOf } from './config-problems';

describe('password settings', () => {
  it('defaults to scrypt N=16384, r=8, p=1 and a 12-character minimum', () => {
    expect(loadConfig({}).passwords).toEqual({ scrypt: { n: 16384, r: 8, p: 1 }, minLength: 12 });
  });

  it('reads PASSWORD_SCRYPT_N, _R, _P and PASSWORD_MIN_LENGTH', () => {
    const config = loadConfig({
      PASSWORD_SCRYPT_N: '65536',
      PASSWORD_SCRYPT_R: '16',
      PASSWORD_SCRYPT_P: '2',
      PASSWORD_MIN_LENGTH: '15',
    });
    expect(config.passwords).toEqual({ scrypt: { n: 65536, r: 16, p: 2 }, minLength: 15 });
  });

  it('refuses an N that is not a power of two, showing the value (it is not a secret)', () => {
    expect(problemsOf({ PASSWORD_SCRYPT_N: '30000' })).toEqual([
      'PASSWORD_SCRYPT_N: must be a power of two from 1024 to 1048576 (got "30000")',
    ]);
  });

  it.each([
    ['PASSWORD_SCRYPT_R', '0'],
    ['PASSWORD_SCRYPT_R', '33'],
    ['PASSWORD_SCRYPT_P', '0'],
    ['PASSWORD_SCRYPT_P', 'x'],
    ['PASSWORD_MIN_LENGTH', '7'],
    ['PASSWORD_MIN_LENGTH', '129'],
  ])('refuses %s=%s', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: must be an integer from`));
  });

  it('refuses parameters whose hash would need more than 1 GiB', () => {
    expect(problemsOf({ PASSWORD_SCRYPT_N: '1048576', PASSWORD_SCRYPT_R: '16' })).toEqual([
      'PASSWORD_SCRYPT_N: 128 * N * r (the memory of one hash) must be <= 1 GiB',
    ]);
  });
});
