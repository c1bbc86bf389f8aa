// The one URL rule the client (base URL) and the receiver (key URL) share, and the mock's
// loopback-only listen rule.
import { describe, expect, it } from 'vitest';
import { httpsOrLoopbackProblem, isLoopbackHost } from '../src/index.js';

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost.example.com', false],
    ['127.0.0.1.example.com', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['::', false],
  ])('%s: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('httpsOrLoopbackProblem', () => {
  it.each([
    ['https://api.example.com/v4', undefined],
    ['http://127.0.0.1:4010', undefined],
    ['http://[::1]:4010/x', undefined],
    ['http://api.example.com', /^must use https:\/\//],
    ['ftp://api.example.com', /^must use https:\/\//],
    ['https://user:secret@api.example.com', /^must not contain a user name or password/],
    ['http://user@127.0.0.1', /^must not contain a user name or password/],
  ])('%s', (url, problem) => {
    const found = httpsOrLoopbackProblem(new URL(url));
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
