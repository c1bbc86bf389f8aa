// Contenders measured in rounds take turns at going first (pnpm bench, both the client's and the
// receiver's side).

/**
 * `entries` started `by` places further on: each round runs the contenders in another order, so
 * none always runs right after the same one (whose garbage it would collect on its own time).
 */
export function rotated(entries, by) {
  const shift = by % entries.length;
  return [...entries.slice(shift), ...entries.slice(0, shift)];
}
