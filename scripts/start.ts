// npm start: the bundled action, run as the runner runs it (main step, then post step), against the stand-in
// LAR server on loopback. Nothing to configure. Prints what the workflow log would show, then the outputs.

import { runMain, runPost } from '../test/harness/run-action.ts';
import { renderRunnerLog } from '../test/harness/runner-log.ts';
import { startStandIn } from '../test/stand-in/lar-server.ts';

const debug = process.argv.includes('--debug');
const server = await startStandIn();
try {
  const inputs = { email: 'qa@yourco.com', 'base-url': server.url };
  console.log(`Stand-in LAR server at ${server.url}\n`);
  console.log(
    `with:\n${Object.entries(inputs)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}\n`,
  );

  // A made-up run id, as a runner would set; without one the action tags the address with the clock instead.
  const main = await runMain(inputs, { runId: String(Date.now() % 1e9), runAttempt: '1', debug });
  const key = main.outputs['api-key'];
  const workedDuringJob = key !== undefined && server.keyOwner(key) !== undefined;
  const post = main.exitCode === 0 ? await runPost(main, inputs, { debug }) : undefined;

  console.log('--- workflow log (main step, then post step) ---');
  for (const line of renderRunnerLog(post ? [main, post] : [main], { debug })) console.log(line);

  console.log('\n--- step outputs (as later steps see them; masked in the log) ---');
  const masked = new Set(['api-key', 'password']);
  for (const [name, value] of Object.entries(main.outputs))
    console.log(`${name}: ${masked.has(name) ? `*** (${value.length} characters)` : value}`);

  if (key) {
    const after = server.keyOwner(key) ? 'still works' : 'no longer works (revoked)';
    console.log(`\nThe key ${workedDuringJob ? 'worked' : 'did NOT work'} during the job; after the post step it ${after}.`);
  }
  console.log(
    `\n--- job summary (${main.summary.length + (post?.summary.length ?? 0) > 0 ? 'Markdown' : 'empty'}) ---\n${post?.summary ?? main.summary}`,
  );
  process.exitCode = main.exitCode ?? 1;
} finally {
  await server.stop();
}
