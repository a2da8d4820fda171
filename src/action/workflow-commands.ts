// The log's workflow commands: masks, lines, warnings, the failure. @actions/core writes them, but it is half the
// bundle (it brings @actions/http-client, a second undici, for OIDC tokens this action never asks for), and loading
// it first held the first request back by all of that. So it loads in the background once the first request is on
// its way (lar-connection.ts starts it), and commands given before then wait here. They go out in the order they were
// given, so every ::add-mask:: still comes before any line that could show its secret: the log is the same, written
// a few milliseconds later.
// Commands that write files (outputs, state, env, the summary) can fail, and the caller must see it: they are made
// on the loaded core (`await loadCore()`), never queued.
type Core = typeof import('@actions/core');

let loaded: Core | undefined;
let loading: Promise<Core> | undefined;
const waiting: Array<(core: Core) => void> = [];

/** Loads @actions/core once, writes the commands that waited, and gives core for the commands that write files. */
export function loadCore(): Promise<Core> {
  loading ??= import('@actions/core').then((core) => {
    for (const command of waiting.splice(0)) command(core);
    loaded = core;
    return core;
  });
  return loading;
}

/** Nothing awaits this load: each step ends with `await commandsWritten()`, where a failure would show. */
export function startLoadingCore(): void {
  loadCore().catch(() => undefined);
}

/** The last line of every step: it ends only once every command it gave is written. */
export async function commandsWritten(): Promise<void> {
  await loadCore();
}

function inOrder<A extends unknown[]>(command: (core: Core, ...args: A) => void): (...args: A) => void {
  return (...args) => {
    if (loaded) return command(loaded, ...args);
    watchSignals();
    waiting.push((core) => command(core, ...args));
  };
}

// A cancelled job gets SIGINT, then SIGTERM: once a command has waited, the step first writes what waits (masks
// first, then the lines that say which account it made), then dies of the same signal, as it would have. The
// handlers stay for the rest of the step: Node may deliver a signal that came in while core was loading only after
// the load, and a handler removed by then would let the step run on, cancelled. A second signal changes nothing.
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let watchingSignals = false;
let dying = false;
function writeWaitingThenDie(signal: NodeJS.Signals): void {
  if (dying) return;
  dying = true;
  void loadCore().finally(() => {
    for (const watched of SIGNALS) process.off(watched, writeWaitingThenDie);
    process.kill(process.pid, signal);
  });
}
function watchSignals(): void {
  if (watchingSignals) return;
  watchingSignals = true;
  for (const signal of SIGNALS) process.on(signal, writeWaitingThenDie);
}

export const setSecret = inOrder((core, secret: string) => core.setSecret(secret));
export const info = inOrder((core, line: string) => core.info(line));
export const debug = inOrder((core, line: string) => core.debug(line));
export const warning = inOrder((core, line: string) => core.warning(line));
/** Marks the step failed (exit code 1) with the message as an error annotation. */
export const setFailed = inOrder((core, message: string) => core.setFailed(message));
