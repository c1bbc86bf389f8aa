// A CPU profile of a piece of the benchmark, summed by function: the "profile for a miss" that
// docs/benchmarks.md prints under a target the run did not meet.
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './workspace.mjs';

/** A readable place for a profile node: `name (file:line)`, `(garbage collector)` and the like. */
function placeOf({ functionName, url, lineNumber }) {
  if (url === '') return functionName === '' ? '(anonymous)' : functionName;
  // Files of this repo relative to it (no machine path in the report), installed ones by package.
  const file = url.startsWith('file:')
    ? relative(root, fileURLToPath(url))
        .replace(/^.*node_modules\//, '')
        .replace(/^packages\//, '')
    : url;
  return `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`;
}

/**
 * The `top` places that took the most CPU time (self time) while `run()` ran, with their share of
 * the samples; idle time is left out, so the shares are of the work done.
 */
export async function hotspots(run, top = 10) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await run();
    const { profile } = await session.post('Profiler.stop');
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map();
    let total = 0;
    for (const id of profile.samples) {
      const place = placeOf(byId.get(id).callFrame);
      if (place === '(idle)' || place === '(program)') continue;
      self.set(place, (self.get(place) ?? 0) + 1);
      total += 1;
    }
    return [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([place, samples]) => ({ place, share: samples / total }));
  } finally {
    session.disconnect();
  }
}

/** Hotspots as Markdown list lines. */
export function hotspotLines(spots) {
  return spots.map(({ place, share }) => `  - ${(share * 100).toFixed(1)}% ${place}`);
}
