// Preloaded (NODE_OPTIONS=--require) into the bench's instrumented runs only, never into the timed pairs.
// It notes when each phase of a run begins, on the monotonic clock that the parent shares, and prints the
// marks as one line on stderr when the process emits 'exit'. Both the bundle's undici and Node's built-in
// fetch publish to these diagnostics channels by name, so the same marks fit both sides.
'use strict';
const dc = require('node:diagnostics_channel');
const now = () => process.hrtime.bigint().toString();
const marks = { preload: now() };
const once = (name) => () => {
  marks[name] ??= now();
};
dc.subscribe('undici:request:create', once('firstRequest'));
dc.subscribe('undici:client:connected', once('connected'));
dc.subscribe('undici:request:trailers', () => {
  marks.lastResponse = now();
});
process.on('exit', () => {
  marks.exit = now();
  require('node:fs').writeSync(2, `\nBENCH-MARKS ${JSON.stringify(marks)}\n`);
});
