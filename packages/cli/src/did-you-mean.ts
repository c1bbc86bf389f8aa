// "Did you mean ...?" for a mistyped command, flag or event: the closest known word, when it is
// close enough to be a typo (an edit distance of at most a third of its length, and 3).

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * ` (did you mean X?)` for an event name the client refused (an issue at `events[i]` whose message
 * ends `(got "name")`), or ''.
 */
export function eventHint(path: string, message: string, events: readonly string[]): string {
  const got = /\(got "([^"]*)"\)$/.exec(message)?.[1];
  return /events\[\d+\]$/.test(path) && got !== undefined ? didYouMean(got, events) : '';
}

/** ` (did you mean X?)` for the candidate closest to `word`, or '' when none is close. */
export function didYouMean(word: string, candidates: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.ceil(word.length / 3));
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d <= bestDistance && d > 0) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean ${prefix}${best}?)`;
}
