// A Node server whose every request is read and parsed as Express's global `express.json()`
// does (the stream read to its end, `req.body` set to the parsed object) before `listener` gets
// it: what a webhook route registered after such a parser sees.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function parsedFirstServer(
  listener: (request: IncomingMessage, response: ServerResponse) => unknown,
): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      (request as IncomingMessage & { body: unknown }).body = JSON.parse(
        String(Buffer.concat(chunks)),
      );
      void listener(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
