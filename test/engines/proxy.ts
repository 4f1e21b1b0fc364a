// A loopback HTTP proxy that answers for every host itself: the engines'
// stand-in for Playwright's page.route(). Firefox and WebKit are told to send
// all traffic through it (Firefox: a BiDi user-context proxy; WebKitGTK:
// the http_proxy/https_proxy variables GLib reads, since its WebDriver
// `proxy` capability sends https around the proxy), so that a test can use any host name (a.example, a.example.,
// 127.0.0.1) and any port, http or https, and nothing leaves the machine.
// HTTPS arrives as CONNECT and is answered with the suite's certificate,
// which the engines are told to accept. WebSocket upgrades are accepted too.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { type AddressInfo, connect, type Server, type Socket } from 'node:net';

const OUT = 'test/artifacts/engines';

/** Answers one request; `url` is absolute (scheme, host as the engine sent it, port, path, query). */
export type Handler = (url: URL, req: IncomingMessage, res: ServerResponse) => void;

export interface Proxy {
  port: number;
  close(): Promise<void>;
}

/** Completes a WebSocket handshake (RFC 6455 4.2.2) and leaves the socket open: enough for 'open'. */
function acceptWebSocket(req: IncomingMessage, socket: Socket) {
  const key = String(req.headers['sec-websocket-key'] || '');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.on('error', () => {});
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
}

export async function startProxy(handle: Handler): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  // Behind a CONNECT, the request line carries only the path: the Host header gives the rest.
  const inner = (scheme: string) => (req: IncomingMessage, res: ServerResponse) =>
    handle(new URL(`${scheme}//${req.headers.host}${req.url}`), req, res);
  const tls = createHttps(
    { key: readFileSync(`${OUT}/key.pem`), cert: readFileSync(`${OUT}/cert.pem`) },
    inner('https:'),
  );
  const plain = createHttp(inner('http:'));
  tls.on('upgrade', acceptWebSocket);
  plain.on('upgrade', acceptWebSocket);
  tls.on('tlsClientError', () => {});

  // Plain http through a proxy carries the absolute URL in the request line.
  const proxy = createHttp((req, res) => handle(new URL(req.url || '/'), req, res));
  proxy.on('upgrade', acceptWebSocket);
  proxy.on('connection', track);

  /** Pipes `socket` on to `server`'s loopback port, `first` (bytes already read from it) first. */
  const pipeTo = (server: Server, socket: Socket, first: Buffer) => {
    const to = connect((server.address() as AddressInfo).port, '127.0.0.1');
    track(to);
    to.write(first);
    socket.pipe(to).pipe(socket);
  };
  /** A tunnel's first bytes say what it carries: a TLS record starts with 0x16 (https, wss); else http or ws. */
  const tunnel = (socket: Socket, head?: Buffer) => {
    const hand = (first: Buffer) => pipeTo(first[0] === 0x16 ? tls : plain, socket, first);
    if (head?.length) hand(head);
    else socket.once('data', hand);
  };
  proxy.on('connect', (_req, socket: Socket, head: Buffer) => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tunnel(socket, head);
  });

  const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await Promise.all([listen(proxy), listen(tls), listen(plain)]);
  return {
    port: (proxy.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        tls.close();
        plain.close();
        proxy.close(() => resolve());
      }),
  };
}
