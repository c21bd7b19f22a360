// The Azure endpoints' HTTPS listener: like common/http.ts `listen`, but with TLS.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TlsMaterial } from './tls.js';

export type HttpsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpsServer {
  /** `https://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a random port, so emulators in parallel jest workers never collide. */
export async function listenHttps(tls: TlsMaterial, handler: HttpsHandler): Promise<HttpsServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        const text = JSON.stringify({
          error: { code: 'InternalServerError', message: `emulator error: ${(error as Error).message}` },
        });
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(text);
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up mid-handshake (or does not trust the CA) must not crash the emulator.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('emulator: server has no TCP address');
  return {
    url: `https://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
