// The workflow log users read, as the runner renders it (masked values as ***, annotations as "Error: …", debug
// lines only with debug on), snapshotted: any change to what users see shows up in review. Run-specific values
// (ports, timings, the random tag, key fingerprints) are normalised.
import { describe, expect, it } from 'vitest';
import { useStandIn } from '../harness/fixture.ts';
import type { StepRun } from '../harness/run-action.ts';
import { renderRunnerLog } from '../harness/runner-log.ts';

const t = useStandIn();
const SECRET = 'snapshot-Hd7kQ2m9xZp4LwR8sT1qVb3NcY6u';

function normalise(lines: readonly string[]): string {
  return `${lines
    .map((line) =>
      line
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
        .replace(/\b\d+ ms\b/g, '<n> ms')
        .replace(/gh-7001-(\d)-[a-z0-9]{6}@/g, 'gh-7001-$1-<random>@')
        .replace(/API key [0-9a-f]{8}\b/g, 'API key <fingerprint>'),
    )
    .join('\n')}\n`;
}

const log = (steps: readonly StepRun[], debug: boolean): string => normalise(renderRunnerLog(steps, { debug }));
const file = (name: string): string => `./__snapshots__/${name}.txt`;

describe.each([false, true])('with debug %s', (debug) => {
  const suffix = debug ? 'debug' : 'plain';

  it('main and post: provision, then revoke at the end of the job', async () => {
    const main = await t.main(t.inputs(), { debug });
    const post = await t.post(main, t.inputs(), { debug });
    await expect(log([main, post], debug)).toMatchFileSnapshot(file(`main-post.${suffix}`));
  });

  it('main: a retried create and a throttled login', async () => {
    t.server.inject('create', { kind: 'status', status: 503 }).inject('login', { kind: 'status', status: 429, retryAfter: '0' });
    const main = await t.main(t.inputs(), { debug });
    await expect(log([main], debug)).toMatchFileSnapshot(file(`main-retries.${suffix}`));
  });

  it('main: bad inputs, one line each', async () => {
    const main = await t.main(t.inputs({ mode: 'sometimes', 'timeout-seconds': '1', 'handoff-secret': 'short' }), { debug });
    await expect(log([main], debug)).toMatchFileSnapshot(file(`main-bad-inputs.${suffix}`));
  });

  it('main: the post step warns when it cannot revoke', async () => {
    const main = await t.main(t.inputs(), { debug });
    t.server.inject('login', { kind: 'lost' });
    const post = await t.post(main, t.inputs(), { debug });
    await expect(log([main, post], debug)).toMatchFileSnapshot(file(`main-post-warns.${suffix}`));
  });

  it('the handoff: main seals, open opens, revoke ends', async () => {
    t.server.secrets.add(SECRET);
    const main = await t.main(t.inputs({ 'handoff-secret': SECRET }), { debug });
    const handoff = { handoff: main.outputs.handoff ?? '', 'handoff-secret': SECRET };
    const open = await t.sub('open', handoff, { debug });
    const revoke = await t.sub('revoke', handoff, { debug });
    const logs = [`# account job\n${log([main], debug)}`, `# e2e job\n${log([open], debug)}`, `# revoke job\n${log([revoke], debug)}`];
    await expect(logs.join('\n')).toMatchFileSnapshot(file(`handoff.${suffix}`));
  });
});
