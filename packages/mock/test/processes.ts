// Whether a process the tests started is still there.
import { readFileSync } from 'node:fs';

/**
 * True while `pid` runs. A killed child whose parent died can linger as a zombie until something
 * reaps it (containers often have no init that does): a zombie serves nothing, so it counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Waits up to `ms` for `pid` to be gone; true when it is. */
export async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms && isAlive(pid); waited += 25) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}
