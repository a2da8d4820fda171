// Why this file exists: about 40 ms of every run used to go by after the last line of work, before the process
// could exit.
//
// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 runs wasm first with its baseline compiler
// (Liftoff) and, once a function has used up its "tiering budget", recompiles it with its optimizing compiler
// (TurboFan) on a background thread. llhttp's state machine is one 33 KB function: with the default budget it is
// sent to TurboFan while the third response is parsed, the compile takes ~40 ms (and ~5 MiB of peak RSS), and
// the process cannot exit until it is done. No socket, close() or process.exit() changes that. For the few
// small answers of a run (15 requests at most, retries included) the optimized code saves nothing measurable.
//
// The fix: raise V8's --wasm-tiering-budget before undici instantiates llhttp, so the parser stays on Liftoff
// for the whole run. From the exit event to the process being reaped (a row of npm run bench's phase table),
// the wait drops to what an empty script pays. Alternatives measured (README, Performance): --liftoff-only and
// --no-wasm-tier-up change nothing when set at run time, --no-wasm-dynamic-tiering and a tiny budget (tier up
// early, during the round trips) only shorten the wait, and undici's useMilo swaps in an experimental parser.
//
// The trade-off, and why here:
// - Node's documentation warns that V8 flags changed after start-up may behave unpredictably. This one is a
//   plain integer that V8 reads when it creates a wasm instance, compiles a function with Liftoff, or refills a
//   budget: V8's own tests change it at run time the same way (FlagScope). Nothing else in the action runs
//   wasm, so llhttp is the only code it reaches.
// - Any changed flag makes Node reject the code cache of built-in modules compiled after it. Set at the top of
//   the bundle that costs ~25 ms of start-up; set here, when the first client is made, every module the first
//   request needs is already loaded (test/integration/wasm-tier.test.ts checks that no code cache is rejected
//   before it is sent).
// - If a run ever parsed a few hundred responses the parser would still tier up, with the old exit wait and
//   nothing worse. Baseline code is slower per byte, but LAR's answers are a few hundred bytes.
// - Everything else is left as shipped: undici's own parser, @actions/core, ncc's bundle, no extra CLI flags
//   (action.yml cannot pass any to the runner's node).

/** The largest value of V8's int flag: llhttp then tiers up after 50 or more responses (of 20 headers), not 2–3. */
const TIERING_BUDGET = 2 ** 31 - 1;
let applied = false;

/** Call before the first connection, after every module has loaded. Idempotent. */
export function keepHttpParserOnBaselineTier(): void {
  if (applied) return;
  applied = true;
  // Built-ins the first request loads on demand come first, so they still compile from Node's code cache: node:dns
  // for the host's lookup, node:perf_hooks for the deadline's performance.now(). (@actions/core's chunk loads after
  // the flag, while the first answer is awaited: its built-ins' cache is rejected there, off the critical path.)
  process.getBuiltinModule('node:dns');
  process.getBuiltinModule('node:perf_hooks');
  // Loaded here, not imported: node:v8 (and the two modules it pulls in) would add to every start-up, the runs
  // that fail on their inputs and never connect included.
  process.getBuiltinModule('node:v8').setFlagsFromString(`--wasm-tiering-budget=${TIERING_BUDGET}`);
}
