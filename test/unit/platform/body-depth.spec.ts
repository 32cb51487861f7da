import { jsonDepth, MAX_JSON_DEPTH } from '../../../src/platform/body-parsers';

describe('JSON depth bound', () => {
  it('measures nesting of objects and arrays', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('[]'.repeat(1000))).toBe(1);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[[","b":{}}')).toBe(2);
  });

  it('stops scanning once the bound is passed', () => {
    const deep = '['.repeat(1500) + ']'.repeat(1500);
    expect(jsonDepth(deep, MAX_JSON_DEPTH)).toBe(MAX_JSON_DEPTH + 1);
  });
});
