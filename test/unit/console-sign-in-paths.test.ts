import { describe, expect, it } from 'vitest';
import { safeReturnPath, signInPath } from '../../console/sign-in-paths.js';

describe('safeReturnPath', () => {
  it.each([
    ['a console page', '/console/broadcasts/01abc', '/console/broadcasts/01abc'],
    ['a console page with its query', '/console/?shown=recent', '/console/?shown=recent'],
    ['nothing', undefined, '/console/'],
    ['another site', 'https://evil.example/console/', '/console/'],
    ['a protocol-relative address', '//evil.example/console/', '/console/'],
    ['a double slash inside', '/console//evil.example', '/console/'],
    ['a backslash trick', '/console/\\evil.example', '/console/'],
    ['outside the console', '/v1/keys', '/console/'],
    ['a line break (a header split)', '/console/\r\nSet-Cookie: x=1', '/console/'],
    ['a tab, which browsers strip', '/console/\t/evil.example', '/console/'],
    ['a space', '/console/ x', '/console/'],
    ['an address longer than any page', `/console/${'a'.repeat(2000)}`, '/console/'],
  ])('%s', (_case, value, expected) => {
    // Act / Assess
    expect(safeReturnPath(value)).toBe(expected);
  });
});

describe('signInPath', () => {
  it('carries where to come back to, encoded', () => {
    // Act / Assess
    expect(signInPath('/console/?shown=recent&page=2')).toBe('/console/sign-in?return=%2Fconsole%2F%3Fshown%3Drecent%26page%3D2');
  });
});
