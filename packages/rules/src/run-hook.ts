/**
 * Runs a hook a user gave (an `onOutcome`, an `onResponse`, an `onError`), so that neither a
 * throw nor a rejection reaches the caller or the process: a failing hook changes no answer.
 */
export function safely(hook: () => unknown): void {
  try {
    const returned = hook();
    if (returned instanceof Promise) returned.catch(() => undefined);
  } catch {
    // Nothing to do: the hook's failure is the hook's.
  }
}
