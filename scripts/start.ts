// npm start: the bundled action, run as the runner runs each action.yml, against the stand-in LAR server on
// loopback, telling the three-job story: an account job seals the account into its handoff, three shard jobs open
// it at once, and a last job revokes the key. Nothing to configure. Prints what each job's log would show.
import { runMain, runSubAction, type StepRun } from '../test/harness/run-action.ts';
import { renderRunnerLog } from '../test/harness/runner-log.ts';
import useOneTempFolder from '../test/harness/temp-folder.ts';
import { startStandIn } from '../test/stand-in/lar-server.ts';
import { parseCommandLine } from './command-line.ts';

const USAGE = `usage: npm start [-- --debug]

Runs the committed dist/ the way the runner runs each action.yml, against the stand-in LAR server:
  job "account"  uses: org/axiom-provision@v1           (with handoff-secret) provisions and seals the account
  jobs "e2e" 1-3 uses: org/axiom-provision/open@v1      open the handoff at once, each checks that the key works
  job "revoke"   uses: org/axiom-provision/revoke@v1    ends the key
and prints what each job's log shows, with secrets as ***.

  --debug   show debug lines too, as with RUNNER_DEBUG=1
  --help    this text`;

const { values } = parseCommandLine(USAGE, { options: { debug: { type: 'boolean', default: false } } });
const debug = values.debug;
// Each step gets a workspace folder, as on a runner: all of them go when the script ends.
useOneTempFolder();
// A throwaway value: the stand-in protects nothing. In a workflow it comes from a repository secret.
const HANDOFF_SECRET = 'demo-only-Hd7kQ2m9xZp4LwR8sT1qVb3N';
// A made-up run, as a runner would set it; every job of a workflow run shares it.
const run = { runId: String(Date.now() % 1e9), runAttempt: '1', repository: 'yourco/app', debug };

const server = await startStandIn();
const show = (title: string, step: StepRun): void => {
  console.log(`\n--- ${title} (exit ${step.exitCode}) ---`);
  for (const line of renderRunnerLog([step], { debug })) console.log(line);
};
try {
  console.log(`Stand-in LAR server at ${server.url}`);
  const account = await runMain({ email: 'qa@yourco.com', 'base-url': server.url, 'handoff-secret': HANDOFF_SECRET }, run);
  show('job "account": uses org/axiom-provision@v1 with handoff-secret', account);
  const handoff = account.outputs.handoff ?? '';
  if (account.exitCode !== 0 || handoff === '') throw new Error('the account job failed');
  console.log(`\njob output handoff (not masked, no secret in clear): ${handoff.slice(0, 40)}… (${handoff.length} characters)`);

  const shards = await Promise.all([1, 2, 3].map(() => runSubAction('open', { handoff, 'handoff-secret': HANDOFF_SECRET }, run)));
  for (const [i, shard] of shards.entries()) {
    show(`job "e2e" shard ${i + 1}/3: uses org/axiom-provision/open@v1`, shard);
    const works = server.keyOwner(shard.outputs['api-key'] ?? '') !== undefined;
    console.log(`the key ${works ? 'works' : 'does NOT work'} in shard ${i + 1} (${shard.outputs.email})`);
  }

  const revoke = await runSubAction('revoke', { handoff, 'handoff-secret': HANDOFF_SECRET }, run);
  show('job "revoke": uses org/axiom-provision/revoke@v1', revoke);
  const key = account.outputs['api-key'] ?? '';
  console.log(`\nAfter revoke the key ${server.keyOwner(key) ? 'STILL works' : 'no longer works'}.`);
  console.log(`\n--- job summary of "account" ---\n${account.summary}`);
  process.exitCode = [account, ...shards, revoke].every((step) => step.exitCode === 0) ? 0 : 1;
} finally {
  await server.stop();
}
