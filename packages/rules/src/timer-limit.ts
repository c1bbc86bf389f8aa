// The longest delay a timer holds: setTimeout fires at once for anything over 2^31 - 1 ms (about
// 24.8 days), so a time limit beyond it would end every call at once instead of never.

/** The longest delay, in milliseconds, a timer holds (2^31 - 1). */
export const MAX_TIMER_MS = 2_147_483_647;
