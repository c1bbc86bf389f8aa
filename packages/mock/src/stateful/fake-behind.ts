// The fake behind a running stateful mock, for the kit's own tests (which look at its state
// directly). Kept on the mock under a registered symbol, not enumerable and not in its type: the
// public surface has no internals, and a test that imports the package by name and this module
// from its sources (two copies of the module) still finds it.
import type { WiredFake } from './fake-api.js';

const FAKE = Symbol.for('@realtimekit-webhooks/mock:fake');

/** Records that `fake` serves behind `mock`. */
export function rememberFake(mock: object, fake: WiredFake): void {
  Object.defineProperty(mock, FAKE, { value: fake, enumerable: false });
}

/** The fake behind `mock`, a stateful mock this package started. */
export function fakeBehind(mock: object): WiredFake {
  const fake = (mock as { [FAKE]?: WiredFake })[FAKE];
  if (!fake) throw new TypeError('not a stateful mock started by startMockServer');
  return fake;
}
