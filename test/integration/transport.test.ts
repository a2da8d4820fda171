// The real Exchange against local servers: an attempt whose connection stalls takes that connection with it, so the
// next attempt opens a new one instead of queueing behind it.
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange, Outgoing } from '../../src/core/lar/exchange.ts';
import { createExchange } from '../../src/core/lar/transport.ts';
import { TEST_HOST, TestProxy } from '../stand-in/proxy.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url)));
const request: Outgoing = { method: 'GET', path: '/', headers: {}, body: null, timeoutMs: 1000 };
/** Longer than an attempt, as in the action (the step's timeout): undici's own connect timeout must not be what saves it. */
const connectTimeoutMs = 10_000;

const defaultCa = tls.getCACertificates('default');
beforeAll(() => tls.setDefaultCACertificates([...defaultCa, fixture('ca.crt').toString()]));
afterAll(() => tls.setDefaultCACertificates(defaultCa));

let server: Server;
let connections: number;
let requests: number;
let exchange: Exchange | undefined;
beforeEach(async () => {
  connections = 0;
  requests = 0;
  server = createHttpsServer({ key: fixture('server.key'), cert: fixture('server.crt') }, (_, res) => {
    requests++;
    res.end('{}');
  }).on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  await exchange?.close();
  exchange = undefined;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
const serverPort = () => (server.address() as AddressInfo).port;

/**
 * The first attempt gives up on its stalled connection, which closes at once, and says the request never left (its
 * headers were never written); the next two share one new connection.
 */
async function expectRecovery(origin: string, proxyUrl: string | undefined, openConnections: () => number): Promise<void> {
  exchange = createExchange(origin, { proxyUrl }, { connectTimeoutMs });
  await expect(exchange.send(request)).rejects.toMatchObject({ kind: 'unsent' });
  await expect(exchange.send(request)).resolves.toMatchObject({ status: 200 });
  await expect(exchange.send(request)).resolves.toMatchObject({ status: 200 });
  expect([requests, connections]).toEqual([2, 1]);
  await expect.poll(openConnections).toBe(1);
}

describe('a stalled first connection', () => {
  it('is abandoned with its attempt, and the next attempt connects anew (no proxy: the TLS handshake stalls)', async () => {
    // In front of the server: the first connection is accepted and never answered, later ones pass through.
    const open = new Set<Socket>();
    let accepted = 0;
    const front = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      // Read and dropped, so its end is seen.
      if (++accepted === 1) return void socket.resume();
      const upstream = connect(serverPort(), '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      await expectRecovery(`https://localhost:${(front.address() as AddressInfo).port}`, undefined, () => open.size);
    } finally {
      for (const socket of open) socket.destroy();
      front.close();
    }
  });

  it.each([
    ['never answers the first CONNECT', 'connect'],
    ['answers the first CONNECT, then nothing passes through the tunnel', 'handshake'],
  ] as const)('through a proxy that %s, is abandoned, and the next attempt opens a new tunnel', async (_, stage) => {
    const proxy = await new TestProxy({ stallFirstTunnel: stage }).start();
    try {
      await expectRecovery(`https://${TEST_HOST}:${serverPort()}`, proxy.url, () => proxy.openConnections);
      expect(proxy.tunnels).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });
});

describe('a request that was written, then went unanswered', () => {
  it('is lost, not unsent: the server may have acted on it', async () => {
    server.removeAllListeners('request');
    server.on('request', () => {
      requests++; // read, and never answered
    });
    exchange = createExchange(`https://localhost:${serverPort()}`, {}, { connectTimeoutMs });
    await expect(exchange.send(request)).rejects.toMatchObject({ kind: 'lost' });
    expect(requests).toBe(1);
  });
});
