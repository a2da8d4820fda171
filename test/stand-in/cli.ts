// Runs the stand-in LAR server on its own, for `npm start`, the e2e workflow and manual poking:
//   node test/stand-in/cli.ts [--port N] [--tls] [--latency MS] [--new-connection MS]
// Prints its URL on the first line of stdout and serves until stopped.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStandIn } from './lar-server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    tls: { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
    'new-connection': { type: 'string', default: '0' },
  },
});
const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const server = await startStandIn({
  port: Number(values.port),
  ...(values.tls && { tls: { key: fixture('server.key'), cert: fixture('server.crt') } }),
  latencyMs: Number(values.latency),
  newConnectionMs: Number(values['new-connection']),
});
console.log(server.url);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void server.stop().then(() => process.exit(0)));
