// The one bounded reader of a Fetch body, shared by the client (API answers), the receiver
// (deliveries, the signing key) and the CLI (standard input): reading stops as soon as the
// ceiling is crossed, so memory stays near it whatever the sender declares or does not declare.

/** A deadline for the whole body: past `ms`, reading is cancelled and `onTimeout()` thrown. */
export interface ReadDeadline {
  ms: number;
  onTimeout: () => Error;
}

/** Joins chunks into one buffer of `size` bytes (the chunk itself when there is one). */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1 && chunks[0]?.byteLength === size)
    return chunks[0] as Uint8Array<ArrayBuffer>;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
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
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const expired =
    deadline &&
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Cancelling ends the pending read as if the body were complete: the flag tells them apart.
        timedOut = true;
        reject(deadline.onTimeout());
        reader.cancel().catch(() => undefined);
      }, deadline.ms);
    });
  // Nobody may be left waiting on `expired` once reading has ended another way.
  expired?.catch(() => undefined);
  try {
    for (;;) {
      const { done, value } = await (expired
        ? Promise.race([reader.read(), expired])
        : reader.read());
      if (timedOut && deadline) throw deadline.onTimeout();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // Cancelling tells the source to stop sending; what was read is dropped with `chunks`.
        await reader.cancel().catch(() => undefined);
        throw onOverflow();
      }
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return concatBytes(chunks, size);
}
