// Reading a body with a ceiling: reading stops as soon as it is crossed, so memory stays near
// the limit whatever the sender declares (or does not declare, with a chunked body).
import { WebhookVerificationError } from './errors.js';

/** The default ceiling on a delivery's body: 1 MiB, far above any documented payload. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The error for a body over `maxBytes`. */
export function bodyTooLarge(maxBytes: number): WebhookVerificationError {
  return new WebhookVerificationError(
    'body-too-large',
    `the body is larger than ${maxBytes} bytes`,
  );
}

/** Joins chunks into one buffer of `size` bytes. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A deadline for the whole body: past `ms`, reading is cancelled and `onTimeout()` thrown. */
export interface ReadDeadline {
  ms: number;
  onTimeout: () => Error;
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
  try {
    return await readAll();
  } finally {
    clearTimeout(timer);
  }

  async function readAll(): Promise<Uint8Array<ArrayBuffer>> {
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
    return concatBytes(chunks, size);
  }
}
