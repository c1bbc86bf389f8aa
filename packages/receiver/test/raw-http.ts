// A bare HTTP/1.1 client on one TCP socket: it writes requests byte by byte as a hostile sender
// would (any body, chunked, at full speed with backpressure) and reads answers as they come, so a
// test can tell whether one connection survives an oversized request. Node's own client stops
// writing once an early answer arrives, which is not what an attacker does.
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
}

export interface RawConnection {
  /** Writes `head` then, chunked, `chunks` copies of `chunk`, waiting on the socket's drain. */
  send(head: string, chunk: Uint8Array, chunks: number): Promise<void>;
  /** The next complete answer on the connection (status line, headers, Content-Length body). */
  answer(): Promise<RawAnswer>;
  /** Resolves true once the server closed the connection. */
  readonly closed: Promise<boolean>;
  end(): void;
}

export async function openRawConnection(port: number): Promise<RawConnection> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  socket.on('data', (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    wake?.();
  });
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.on('error', () => undefined);

  const write = (data: Uint8Array | string) =>
    socket.write(data) ? Promise.resolve() : new Promise<void>((d) => socket.once('drain', d));

  return {
    closed,
    end: () => socket.destroy(),
    async send(head, chunk, chunks) {
      await write(head);
      for (let i = 0; i < chunks; i += 1) {
        await write(`${chunk.byteLength.toString(16)}\r\n`);
        await write(chunk);
        await write('\r\n');
      }
      await write('0\r\n\r\n');
    },
    async answer() {
      for (;;) {
        const parsed = parseAnswer(buffered);
        if (parsed) {
          buffered = buffered.subarray(parsed.consumed);
          return parsed.answer;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/** One complete answer at the start of `data` (Content-Length or chunked body), or undefined. */
function parseAnswer(data: Buffer): { answer: RawAnswer; consumed: number } | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const head = data.subarray(0, end).toString('latin1');
  const status = Number(head.split(' ')[1]);
  let offset = end + 4;
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (data.length < offset + length) return undefined;
    const body = data.subarray(offset, offset + length).toString();
    return { answer: { status, body }, consumed: offset + length };
  }
  const parts: Buffer[] = [];
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
    if (size === 0)
      return { answer: { status, body: Buffer.concat(parts).toString() }, consumed: offset };
  }
}

/** The head of a chunked POST to /rtk with `headers`. */
export function chunkedHead(headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST /rtk HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n${lines.join('')}\r\n`;
}
