// The faults a test asks for from outside: a queue, each taken by the first request it matches.
import type { FaultMatch, MockFault, RequestInfo } from './faults.js';

function matches(match: FaultMatch | undefined, request: RequestInfo): boolean {
  if (match?.method !== undefined && match.method.toUpperCase() !== request.method) return false;
  return match?.path === undefined || request.path.endsWith(match.path);
}

/** A queue of faults; `take` removes and returns the first that matches the request. */
export class FaultQueue {
  readonly #queued: MockFault[] = [];

  push(fault: MockFault): void {
    this.#queued.push(fault);
  }

  clear(): void {
    this.#queued.length = 0;
  }

  get size(): number {
    return this.#queued.length;
  }

  take(request: RequestInfo): MockFault | undefined {
    const index = this.#queued.findIndex((fault) => matches(fault.match, request));
    if (index === -1) return undefined;
    return this.#queued.splice(index, 1)[0];
  }
}
