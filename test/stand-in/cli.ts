// Runs the stand-in LAR server on its own, for `npm start`, the e2e workflow and manual poking; --help says how.
// With --accounts it saves after every change, not on exit: Windows has no SIGTERM to save on.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseCommandLine } from '../../scripts/command-line.ts';
import { startStandIn } from './lar-server.ts';

const USAGE = `usage: node test/stand-in/cli.ts [options]    (or: npm run stand-in -- [options])

Serves the stand-in LAR server until SIGINT or SIGTERM, and prints its URL on the first line of stdout.

  --port N                        listen on port N (default 0: any free port), on 127.0.0.1
  --tls                           serve HTTPS with test/fixtures/tls/server.crt (trust test/fixtures/tls/ca.crt)
  --latency MS                    wait MS before every answer: a simulated round trip (default 0)
  --new-connection MS             wait MS more before the first answer on a new connection (default 0)
  --max-in-flight N               answer 429 to a request beyond N in flight, before any work (default: no limit)
  --throttle-retry-after SECONDS  the Retry-After of those 429 answers (default 1)
  --accounts FILE                 load the accounts from FILE if it exists, and save them there after every change
  --help                          this text

Besides LAR's own routes under /api/user/, it answers:
  GET /stand-in/whoami   with "Authorization: Bearer <API key>": the key's account {id, email}, or 401 if no key works
  GET /stand-in/stats    what happened so far: {connections, throttled, requests: [{route, connection}]}`;

const { values, whole } = parseCommandLine(USAGE, {
  options: {
    port: { type: 'string', default: '0' },
    tls: { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
    'new-connection': { type: 'string', default: '0' },
    'max-in-flight': { type: 'string' },
    'throttle-retry-after': { type: 'string' },
    accounts: { type: 'string' },
  },
});
const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const accounts = values.accounts;
const server = await startStandIn({
  ...(accounts !== undefined && { onAccountsChanged: () => writeFileSync(accounts, server.saveAccounts()) }),
  port: whole('port'),
  ...(values.tls && { tls: { key: fixture('server.key'), cert: fixture('server.crt') } }),
  latencyMs: whole('latency'),
  newConnectionMs: whole('new-connection'),
  ...(values['max-in-flight'] !== undefined && { maxInFlight: whole('max-in-flight', 1) }),
  ...(values['throttle-retry-after'] !== undefined && { throttleRetryAfter: values['throttle-retry-after'] }),
});
if (accounts !== undefined && existsSync(accounts)) server.loadAccounts(readFileSync(accounts, 'utf8'));
console.log(server.url);

// npm forwards SIGINT and SIGTERM to its script's process only, so the `stand-in` script execs node: a shell in
// between would die of the signal and leave this process serving. Ctrl-C in a terminal signals the whole process
// group as well, so the same stop may arrive twice.
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.stop().then(() => process.exit(0));
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
