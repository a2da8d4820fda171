import { describe, expect, it } from 'vitest';
import { addressProblem, MAX_LOCAL_PART, plusAddress, tagProblem } from '../../src/core/account/email.ts';
import { generateTag, runIdentityFrom } from '../../src/core/run.ts';

describe('addressProblem', () => {
  it.each(['qa@yourco.com', 'first.last+ci@sub.example.co.uk', "o'brien@x.io"])('accepts %s', (email) => {
    expect(addressProblem(email)).toBeUndefined();
  });
  it.each([
    ['', /not an email address/],
    ['qa', /not an email address/],
    ['@yourco.com', /not an email address/],
    ['qa@', /not an email address/],
    ['q a@yourco.com', /local part/],
    ['.qa@yourco.com', /local part/],
    ['qa..x@yourco.com', /local part/],
    ['qa@localhost', /domain/],
    ['qa@-bad.com', /domain/],
    [`${'a'.repeat(65)}@yourco.com`, /65 characters; the limit is 64/],
  ])('refuses %j', (email, problem) => {
    expect(addressProblem(email)).toMatch(problem);
  });
});

describe('plusAddress', () => {
  it('adds a tag, or extends an existing one with "-"', () => {
    expect(plusAddress('qa@yourco.com', 'gh-1-1-abc123')).toBe('qa+gh-1-1-abc123@yourco.com');
    expect(plusAddress('qa+e2e@yourco.com', 'gh-1-1-abc123')).toBe('qa+e2e-gh-1-1-abc123@yourco.com');
  });
  it('fits exactly 64 characters in the local part and refuses 65', () => {
    const local = 'q'.repeat(MAX_LOCAL_PART - 'x'.length - 1);
    expect(plusAddress(`${local}@yourco.com`, 'x')).toBe(`${local}+x@yourco.com`);
    expect(plusAddress(`${local}@yourco.com`, 'xy')).toBeUndefined();
  });
});

describe('tagProblem', () => {
  it.each(['pr-17', 'gh-1-2-abc', 'nightly.main', 'a_b'])('accepts %s', (tag) => expect(tagProblem(tag)).toBeUndefined());
  it.each(['a+b', 'a@b', 'sp ace', '.lead', 'trail.', 'a..b', ''])('refuses %j', (tag) => expect(tagProblem(tag)).toBeDefined());
});

describe('generateTag', () => {
  it('holds run id, attempt and the random part in GitHub Actions', () => {
    expect(generateTag({ ci: 'github', runId: '123456789', runAttempt: '2' }, 'k3x9q0', 0)).toBe('gh-123456789-2-k3x9q0');
  });
  it('treats a missing attempt as the first', () => {
    expect(generateTag({ ci: 'github', runId: '5' }, 'aaaaaa', 0)).toBe('gh-5-1-aaaaaa');
  });
  it('holds the pipeline and the job in GitLab CI', () => {
    expect(generateTag({ ci: 'gitlab', runId: '812', jobId: '4401' }, 'k3x9q0', 0)).toBe('gl-812-4401-k3x9q0');
  });
  it('carries a label before the random part', () => {
    expect(generateTag({ ci: 'github', runId: '5', runAttempt: '1' }, 'aaaaaa', 0, 'w3')).toBe('gh-5-1-w3-aaaaaa');
    expect(generateTag({ ci: 'local' }, 'aaaaaa', 36, 'w0')).toBe('local-10-w0-aaaaaa');
  });
  it('falls back to the clock outside a CI, or when the run id is not a number', () => {
    expect(generateTag({ ci: 'local' }, 'zzzzzz', 36 ** 3)).toBe('local-1000-zzzzzz');
    expect(generateTag({ ci: 'github', runId: 'x; rm -rf' }, 'zzzzzz', 35)).toBe('local-z-zzzzzz');
  });
});

describe('runIdentityFrom', () => {
  it('reads each CI by its own variables, and nothing elsewhere', () => {
    expect(runIdentityFrom({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9', GITHUB_RUN_ATTEMPT: '2' })).toEqual({
      ci: 'github',
      repository: 'o/r',
      runId: '9',
      runAttempt: '2',
    });
    expect(runIdentityFrom({ GITLAB_CI: 'true', CI_PROJECT_PATH: 'g/p', CI_PIPELINE_ID: '81', CI_JOB_ID: '4401' })).toEqual({
      ci: 'gitlab',
      repository: 'g/p',
      runId: '81',
      runAttempt: '1',
      jobId: '4401',
    });
    expect(runIdentityFrom({ GITHUB_RUN_ID: '9', CI_PIPELINE_ID: '81' })).toEqual({ ci: 'local' });
  });
});
