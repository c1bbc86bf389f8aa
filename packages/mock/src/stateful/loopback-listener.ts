// The one way the mock's servers (the in-memory API, the front door) listen: on a loopback host,
// on the port asked for or a free one, a port held by another process named as such, and a stop
// that ends open connections too (a test's keep-alive socket must not hold the process).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server: where it answers, and how to stop it. */
export interface Listening {
  readonly baseUrl: string;
  /** Stops accepting, closes every open connection, resolves once the server has closed. */
  stop(): Promise<void>;
}

/** Starts `server` on `host`:`port` (0: a free port); rejects naming a port another process holds. */
export async function listenOnLoopback(server: Server, host: string, port = 0): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on ${host} is held by another process, so the mock could not listen there: choose another port or leave it unset for a free one`,
            )
          : error,
      );
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${urlHost}:${bound}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
