// Server plumbing shared by every emulated service: listening on loopback, reading bodies,
// answering JSON or XML, the transport faults (latency, reset, hang) and the request log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatedService, RecordRequest, RequestRecord } from './requests.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface EmulatedServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly server: Server;
  /** Stops listening and destroys every open socket, hung requests included. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a random port, so emulators in parallel jest workers never collide. */
export async function listen(handler: Handler): Promise<EmulatedServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { message: `emulator error: ${(error as Error).message}` });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('emulator: server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendXml(
  res: ServerResponse,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), ...headers });
  res.end(xml);
}

export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Faults that act on the connection rather than on the answer. */
export interface TransportFaults {
  /** Added before every answer. */
  latencyMs: number;
  /** Probability (0..1) that the socket is destroyed without an answer (ECONNRESET for the client). */
  resetRate: number;
  /** Probability (0..1) that the request is never answered (the socket stays open until close()). */
  hangRate: number;
}

/**
 * Applies latency, then maybe a reset or a hang. Returns false when the request must not be
 * answered, after marking its record (status 0 and a pseudo error code).
 */
export async function applyTransportFaults(
  res: ServerResponse,
  faults: TransportFaults,
  random: () => number,
  record: RequestRecord,
): Promise<boolean> {
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (faults.resetRate > 0 && random() < faults.resetRate) {
    record.status = 0;
    record.errorCode = 'ConnectionReset';
    res.socket?.destroy();
    return false;
  }
  if (faults.hangRate > 0 && random() < faults.hangRate) {
    record.status = 0;
    record.errorCode = 'NoResponse';
    return false;
  }
  return true;
}

/**
 * A page that is not the service's answer: what a proxy, a web server at a wrong endpoint or a
 * gateway that lacks the route answers with (an HTML 404 page, say), in place of the service's.
 * `times` counts down (unlimited when absent).
 */
export interface HtmlPage {
  status: number;
  /** The page; a plain `<status> Not Found` page when absent. */
  body?: string;
  times?: number;
}

/** The first of `pages` that `matches` and has answers left, counted down; undefined when none. */
export function takeHtmlPage<P extends HtmlPage>(pages: P[], matches: (page: P) => boolean): P | undefined {
  const page = pages.find((p) => (p.times === undefined || p.times > 0) && matches(p));
  if (page?.times !== undefined) page.times--;
  return page;
}

/** Answers `page` as text/html, as nginx would, and records it (error code `HtmlPage`). */
export function sendHtmlPage(res: ServerResponse, record: RequestRecord, page: HtmlPage): void {
  const body =
    page.body ??
    `<html>\r\n<head><title>${page.status} Not Found</title></head>\r\n<body>\r\n<center><h1>${page.status} Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  record.status = page.status;
  record.errorCode = 'HtmlPage';
  res.writeHead(page.status, {
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
    server: 'nginx',
  });
  res.end(body);
}

/**
 * Starts a request record as soon as the operation is known, so `requests` keeps arrival order;
 * the status and error code are filled in when the answer is sent.
 */
export function startRecord(
  record: RecordRequest,
  service: EmulatedService,
  operation: string,
  req: IncomingMessage,
  write: boolean,
): RequestRecord {
  const entry: RequestRecord = {
    service,
    operation,
    method: req.method ?? 'GET',
    path: (req.url ?? '/').split('?')[0] ?? '/',
    status: 0,
    write,
    at: Date.now(),
  };
  record(entry);
  return entry;
}

/** A small deterministic PRNG (mulberry32), so fault injection is reproducible after reset(). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * At most `limit()` accepted calls in any sliding window of `windowMs`. Rejected calls do not
 * count, like a service that sheds load before doing the work.
 */
export class SlidingWindowLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(
    private readonly limit: () => number,
    private readonly windowMs = 1000,
  ) {}

  tryAcquire(key = '', now = Date.now()): boolean {
    const times = (this.accepted.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length >= this.limit()) {
      this.accepted.set(key, times);
      return false;
    }
    times.push(now);
    this.accepted.set(key, times);
    return true;
  }

  reset(): void {
    this.accepted.clear();
  }
}
