// Preloaded (NODE_OPTIONS=--require) into the bench's instrumented runs only, never into the timed pairs.
// It notes when each phase of a run begins, on the monotonic clock that the parent shares, and prints the
// marks as one line on stderr when the process emits 'exit'. Every undici (the bundle's, the CLI's from
// node_modules, and the one inside Node's built-in fetch) publishes to these diagnostics channels by name, and
// node:https (the floor) publishes its own at the same moments, so the same marks fit every side.
'use strict';
const dc = require('node:diagnostics_channel');
const now = () => process.hrtime.bigint().toString();
const marks = { preload: now() };
const once = (name) => () => {
  marks[name] ??= now();
};
const last = (name) => () => {
  marks[name] = now();
};
dc.subscribe('undici:request:create', once('firstRequest'));
dc.subscribe('undici:client:connected', once('connected'));
dc.subscribe('undici:request:trailers', last('lastResponse'));
dc.subscribe('http.client.request.created', ({ request }) => {
  once('firstRequest')();
  request.once('socket', (socket) => socket.once('secureConnect', once('connected')));
});
// Published once the headers are parsed: the answer has arrived when its body ends.
dc.subscribe('http.client.response.finish', ({ response }) => response.once('end', last('lastResponse')));
process.on('exit', () => {
  marks.exit = now();
  require('node:fs').writeSync(2, `\nBENCH-MARKS ${JSON.stringify(marks)}\n`);
});
