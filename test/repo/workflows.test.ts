// What a reviewer checks in .github/ before approving a credential action, kept true by a test: zizmor runs on
// GitHub only, so the rules it would enforce first are checked here too.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const DIR = new URL('../../.github/workflows/', import.meta.url);
const files = readdirSync(DIR).filter((name) => name.endsWith('.yml'));
const text = (name: string): string => readFileSync(new URL(name, DIR), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
  uses?: string;
}
const jobsOf = (name: string): [string, Job][] => Object.entries((parse(text(name)) as { jobs: Record<string, Job> }).jobs);

describe.each(files)('%s', (name) => {
  it('pins every third-party action to a full commit SHA, with its version in a comment', () => {
    for (const line of text(name)
      .split('\n')
      .filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
      const ref = /uses:\s*(\S+)/.exec(line)?.[1] ?? '';
      if (ref.startsWith('./')) continue;
      expect(line, ref).toMatch(/uses:\s*[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d/);
    }
  });

  it('sets least-privilege permissions on every job, and none by default at the top', () => {
    expect((parse(text(name)) as { permissions?: unknown }).permissions).toBeDefined();
    for (const [job, spec] of jobsOf(name)) expect(spec.permissions, job).toBeDefined();
  });

  it('never expands an expression inside a run script (template injection): values go through env', () => {
    for (const [job, spec] of jobsOf(name)) for (const step of spec.steps ?? []) expect(step.run ?? '', job).not.toContain('${{');
  });

  it('checks out without persisting credentials', () => {
    for (const [job, spec] of jobsOf(name)) {
      for (const step of spec.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials'], job).toBe(false);
      }
    }
  });

  it('is never triggered by pull_request_target', () => {
    expect(text(name)).not.toMatch(/pull_request_target/);
  });
});
