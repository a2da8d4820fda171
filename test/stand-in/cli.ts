// Runs the stand-in LAR server on its own, for `npm start`, the e2e workflow and manual poking:
//   node test/stand-in/cli.ts [--port N] [--tls] [--latency MS] [--new-connection MS]
//                             [--max-in-flight N] [--throttle-retry-after SECONDS] [--accounts FILE]
// Prints its URL on the first line of stdout and serves until SIGINT or SIGTERM. With --accounts, it loads the
// accounts from FILE if it exists and saves them there after every change (Windows has no SIGTERM to save on):
// the E2E workflow's jobs share them that way.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStandIn } from './lar-server.ts';

const { values } = parseArgs({
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
const whole = (flag: string, value: string, least = 0): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < least) throw new Error(`--${flag} takes a whole number of at least ${least}, not '${value}'`);
  return number;
};
const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const accounts = values.accounts;
const server = await startStandIn({
  ...(accounts !== undefined && { onAccountsChanged: () => writeFileSync(accounts, server.saveAccounts()) }),
  port: whole('port', values.port),
  ...(values.tls && { tls: { key: fixture('server.key'), cert: fixture('server.crt') } }),
  latencyMs: whole('latency', values.latency),
  newConnectionMs: whole('new-connection', values['new-connection']),
  ...(values['max-in-flight'] !== undefined && { maxInFlight: whole('max-in-flight', values['max-in-flight'], 1) }),
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
