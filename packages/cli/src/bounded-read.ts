// Reading what a user points the CLI at (an ensure file, standard input, a --payload file) with a
// bound in bytes and in time, whatever kind of file it is: /dev/zero never ends, a FIFO nobody
// writes to never starts, and neither may hang the CLI or fill its memory.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ReadableStream } from 'node:stream/web';
import { readBoundedStream } from '@realtimekit-webhooks/rules';
import { UsageError } from './usage-error.js';

/** How long reading one input may take. */
export const READ_TIMEOUT_MS = 5_000;

/** `chunks` as bytes (standard input gives strings once an encoding is set). */
async function* asBytes(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/**
 * The text of `chunks` (standard input), failing as soon as it passes `maxBytes` or `timeoutMs`:
 * read with the reader every package shares, which cancels the source when it stops.
 */
export async function readBounded(
  chunks: AsyncIterable<Uint8Array | string>,
  what: string,
  maxBytes: number,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<string> {
  const bytes = await readBoundedStream(
    // Node's stream type and the DOM's are the same object, typed twice.
    ReadableStream.from(asBytes(chunks)) as unknown as globalThis.ReadableStream<Uint8Array>,
    maxBytes,
    () =>
      new UsageError(
        `${what} is larger than ${maxBytes} bytes (${maxBytes / 1024 / 1024} MiB): is it the right file?`,
      ),
    {
      ms: timeoutMs,
      onTimeout: () =>
        new UsageError(`${what} did not end within ${timeoutMs / 1000} s: is it the right file?`),
    },
  );
  return new TextDecoder().decode(bytes);
}

/**
 * The text of file `path` (any kind: a FIFO, a device, /dev/fd/N), bounded as above. Opened
 * non-blocking and polled: a blocking open or read of a FIFO would hold a thread-pool thread that
 * even process.exit waits for.
 */
export async function readBoundedFile(
  path: string,
  maxBytes: number,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const timedOut = () =>
    new UsageError(`${path} did not end within ${timeoutMs / 1000} s: is it the right file?`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const buffer = Buffer.alloc(64 * 1024);
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        // A pipe whose writer has sent nothing yet: wait a little, within the deadline.
        if (Date.now() > deadline) throw timedOut();
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > maxBytes) {
        throw new UsageError(
          `${path} is larger than ${maxBytes} bytes (${maxBytes / 1024 / 1024} MiB): is it the right file?`,
        );
      }
      parts.push(Buffer.from(buffer.subarray(0, bytesRead)));
      if (Date.now() > deadline) throw timedOut();
    }
    return Buffer.concat(parts).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  } finally {
    await handle?.close();
  }
}
