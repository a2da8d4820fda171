// A forwarding proxy on loopback, the kind HTTPS_PROXY points at: CONNECT tunnels for https, and absolute-URI
// forwarding for plain http. It records what passed through it. It resolves TEST_HOST to loopback, so tests
// can reach the stand-in by a name that is not loopback (the action never proxies loopback).
export const TEST_HOST = 'lar.test';
const resolveHost = (host: string): string => (host === TEST_HOST ? '127.0.0.1' : host);

import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export class TestProxy {
  readonly tunnels: string[] = [];
  readonly forwarded: string[] = [];
  url = '';
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  /**
   * refuseTunnels: answer every CONNECT with this status instead of 200 (407 asks for credentials).
   * stallFirstTunnel: the first CONNECT is never answered ('connect'), or is answered 200 and then nothing passes
   * through it, so the TLS handshake inside it stalls ('handshake'); later tunnels work.
   */
  constructor({ refuseTunnels, stallFirstTunnel }: { refuseTunnels?: number; stallFirstTunnel?: 'connect' | 'handshake' } = {}) {
    this.#server = createServer((req, res) => {
      this.forwarded.push(req.url ?? '');
      const target = new URL(req.url ?? '');
      target.hostname = resolveHost(target.hostname);
      const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    this.#server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      this.tunnels.push(req.url ?? '');
      if (stallFirstTunnel !== undefined && this.tunnels.length === 1) {
        // Read and dropped, and closed when the client leaves.
        client
          .on('error', () => undefined)
          .on('end', () => client.destroy())
          .resume();
        if (stallFirstTunnel === 'handshake') client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        return;
      }
      if (refuseTunnels !== undefined) {
        client.end(`HTTP/1.1 ${refuseTunnels} Refused\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
      const upstream = connect(Number(port), resolveHost(host.replace(/^\[|\]$/g, '')), () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).on('error', () => client.destroy());
        client.pipe(upstream).on('error', () => upstream.destroy());
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Connections from clients open now. */
  get openConnections(): number {
    return this.#sockets.size;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
