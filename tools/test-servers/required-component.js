// The rule for tests that need a real component (redis-server, chromium): in CI a missing one is
// an error, because CI must test what it needs; elsewhere those tests are skipped with a note
// saying what to install, so the rest of the suite still runs.

/** Whether the tests of `what` can run; `installed` says whether `component` is here. */
export function requiredComponent({ component, installed, what, install }) {
  if (installed) return true;
  const message = `${component} is not installed (${install}), so ${what} cannot be tested`;
  if (process.env.CI) throw new Error(`${message}: .ci/run installs it`);
  console.warn(`${message} here; CI tests it`);
  return false;
}
