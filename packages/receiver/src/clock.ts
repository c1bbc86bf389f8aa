/**
 * The monotonic clock claims, keys and deliveries are timed on in this process: a stepped system
 * clock (NTP, a VM resumed) neither expires nor revives anything timed on it.
 */
export const monotonicNow = (): number => performance.now();
