// The one bounded reader of a Fetch body, shared by the client (API answers), the receiver
// (deliveries, the signing key) and the CLI (standard input): reading stops as soon as the
// ceiling is crossed, so memory stays near it whatever the sender declares or does not declare.

/** A deadline for the whole body: past `ms`, reading is cancelled and `onTimeout()` thrown. */
export interface ReadDeadline {
  ms: number;
  onTimeout: () => Error;
}

/**
 * Gathers a body's chunks into one growing buffer (doubling, never past `maxBytes`), so memory
 * stays within about twice the bytes received however the sender cuts them: a million one-byte
 * chunks are one buffer, not a million objects each holding on to the socket's 64 KiB read slab.
 * A body that arrives in one chunk (most answers and deliveries) is kept as it is, uncopied.
 */
export function bytesCollector(maxBytes: number) {
  let first: Uint8Array | undefined;
  let buffer: Uint8Array<ArrayBuffer> | undefined;
  let size = 0;
  return {
    /** Takes `chunk` in; false (nothing kept) when it would cross `maxBytes`. */
    add(chunk: Uint8Array): boolean {
      const needed = size + chunk.byteLength;
      if (needed > maxBytes) return false;
      if (size === 0 && !buffer) {
        first = chunk;
      } else {
        if (!buffer || needed > buffer.byteLength) {
          const grown = new Uint8Array(Math.min(maxBytes, Math.max(needed, size * 2, 16 * 1024)));
          if (buffer) grown.set(buffer.subarray(0, size));
          else if (first) grown.set(first);
          buffer = grown;
          first = undefined;
        }
        buffer.set(chunk, size);
      }
      size = needed;
      return true;
    },
    /** The body: exactly the bytes gathered. */
    bytes(): Uint8Array<ArrayBuffer> {
      if (!buffer) return (first ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>;
      return buffer.byteLength === size ? buffer : buffer.slice(0, size);
    },
  };
}

/**
 * The bytes of a Fetch body, at most `maxBytes`; past that the stream is cancelled and
 * `onOverflow()` is thrown. With a `deadline`, a body that stops arriving is cancelled too.
 */
export async function readBoundedStream(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  onOverflow: () => Error,
  deadline?: ReadDeadline,
): Promise<Uint8Array<ArrayBuffer>> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const collected = bytesCollector(maxBytes);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  // Ends the read in progress at the deadline. One per read, replaced each time: racing every
  // read against one deadline promise would leave a reaction on it per chunk, a million of them
  // for a body sent a byte at a time.
  let interrupt: ((error: Error) => void) | undefined;
  if (deadline) {
    timer = setTimeout(() => {
      // Cancelling ends the pending read as if the body were complete: the flag tells them apart.
      timedOut = true;
      interrupt?.(deadline.onTimeout());
      reader.cancel().catch(() => undefined);
    }, deadline.ms);
  }
  const read = () =>
    deadline
      ? new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
          interrupt = reject;
          reader.read().then(resolve, reject);
        })
      : reader.read();
  try {
    for (;;) {
      const { done, value } = await read();
      if (timedOut && deadline) throw deadline.onTimeout();
      if (done) break;
      if (!collected.add(value)) {
        // Cancelling tells the source to stop sending; what was read is dropped with `collected`.
        await reader.cancel().catch(() => undefined);
        throw onOverflow();
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return collected.bytes();
}
