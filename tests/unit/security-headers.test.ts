import { KeptHeaders, headersSet, holdsFunction } from '../../src/edge/security-headers/core';

test('the headers a middleware set: new ones and changed ones, not those it found', () => {
  expect(
    headersSet(
      { 'x-request-id': 'a', vary: 'Origin' },
      { 'x-request-id': 'a', vary: 'Origin, Accept', 'x-frame-options': 'SAMEORIGIN', 'set-cookie': ['a=1', 'b=2'], gone: undefined },
    ),
  ).toEqual([
    ['vary', 'Origin, Accept'],
    ['x-frame-options', 'SAMEORIGIN'],
    ['set-cookie', ['a=1', 'b=2']],
  ]);
});

test('kinds past the bound are not kept: a caller choosing paths cannot grow it', () => {
  const kept = new KeptHeaders(2);
  kept.keep('GET /a', [['x', '1']]);
  kept.keep('GET /b', [['x', '2']]);
  kept.keep('GET /c', [['x', '3']]);
  expect([kept.get('GET /a'), kept.get('GET /b'), kept.get('GET /c')]).toEqual([[['x', '1']], [['x', '2']], undefined]);
});

test('a configuration with a value computed per request (a CSP nonce function) is told apart', () => {
  expect(holdsFunction({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", () => "'nonce-x'"] } } })).toBe(true);
  expect(holdsFunction({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"] } }, hsts: { maxAge: 1 } })).toBe(false);
  expect(holdsFunction({})).toBe(false);
});
