// The fake behind a running stateful mock, for the kit's own tests (which look at its state
// directly). Kept beside the mock, not on it: the public surface has no internals.
import type { FakeApi } from './fake-api.js';

const fakes = new WeakMap<object, FakeApi>();

/** Records that `fake` serves behind `mock`. */
export function rememberFake(mock: object, fake: FakeApi): void {
  fakes.set(mock, fake);
}

/** The fake behind `mock`, a stateful mock this package started. */
export function fakeBehind(mock: object): FakeApi {
  const fake = fakes.get(mock);
  if (!fake) throw new TypeError('not a stateful mock started by startMockServer');
  return fake;
}
