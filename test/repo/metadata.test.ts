// action.yml is the contract users read on the Marketplace; the README, the docs and the code must say the same.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OUTPUT } from '../../src/action/outputs.ts';
import { DEFAULTS } from '../../src/core/inputs.ts';
import { type Failure, POLICIES, type PolicyName } from '../../src/core/lar/policy.ts';

interface ActionYml {
  name: string;
  description: string;
  author: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string };
}
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const action = parse(read('action.yml')) as ActionYml;
const subActions = {
  open: parse(read('open/action.yml')) as Omit<ActionYml, 'runs'> & { runs: { using: string; main: string } },
  revoke: parse(read('revoke/action.yml')) as Omit<ActionYml, 'runs' | 'outputs'> & { runs: { using: string; main: string } },
};
const readme = read('README.md');

/** The body rows of the one Markdown table under a `## heading` of a document, as arrays of cells. */
function tableUnder(document: string, heading: string): string[][] {
  const section = document.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| -'))
    .slice(1)
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}
const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

describe('action.yml', () => {
  it('names, describes and brands the action, and runs dist/ on node24 for main and post', () => {
    expect(action.name).toBe('axiom-provision');
    expect(action.description.length).toBeGreaterThan(20);
    expect(action.author).not.toBe('');
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' });
  });

  it('describes every input and output', () => {
    for (const [name, spec] of [...Object.entries(action.inputs), ...Object.entries(action.outputs)]) {
      expect(spec.description, name).toMatch(/\S{3,}/);
    }
  });

  it('gives the same defaults as the code', () => {
    for (const [name, fallback] of Object.entries(DEFAULTS)) expect(action.inputs[name]?.default, name).toBe(fallback);
  });

  it('declares the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(OUTPUT).sort());
  });
});

describe('sub-actions', () => {
  it.each(['open', 'revoke'] as const)('%s/action.yml runs its entry of the shared bundle on node24', (name) => {
    expect(subActions[name].runs).toEqual({ using: 'node24', main: `../dist/${name}.js` });
    expect(existsSync(new URL(`../../dist/${name}.js`, import.meta.url))).toBe(true);
    expect(subActions[name].name).toBe(`axiom-provision/${name}`);
  });

  it.each(['open', 'revoke'] as const)("%s takes the handoff and its secret, with the code's defaults for the rest", (name) => {
    const { inputs } = subActions[name];
    expect(inputs.handoff?.required).toBe(true);
    expect(inputs['handoff-secret']?.required).toBe(true);
    const optional = Object.fromEntries(
      Object.entries(inputs)
        .filter(([, spec]) => !spec.required)
        .map(([input, spec]) => [input, spec.default]),
    );
    // Each sub-action takes one optional input, read with the default every door reads.
    const takes = { open: 'export-env', revoke: 'timeout-seconds' } as const;
    expect(optional).toEqual({ [takes[name]]: DEFAULTS[takes[name]] });
  });

  it('open sets the outputs main sets for the key, and no others', () => {
    expect(Object.keys(subActions.open.outputs).sort()).toEqual([OUTPUT.apiKey, OUTPUT.email, OUTPUT.password, OUTPUT.userId].sort());
  });
});

describe('README', () => {
  it('lists every input of action.yml, in order, with its default', () => {
    const rows = tableUnder(readme, 'Inputs');
    expect(rows.map(([name = '']) => unquote(name))).toEqual(Object.keys(action.inputs));
    for (const [name = '', shown = ''] of rows) {
      const spec = action.inputs[unquote(name)];
      const expected = spec?.required ? 'required' : spec?.default === '' ? 'empty' : `\`${spec?.default}\``;
      expect(shown, name).toBe(expected);
    }
  });

  it('lists every output of action.yml, in order, saying which are masked', () => {
    const rows = tableUnder(readme, 'Outputs');
    expect(rows.map(([name = '']) => unquote(name))).toEqual(Object.keys(action.outputs));
    const masked = rows.filter(([, m]) => m === 'yes').map(([name = '']) => unquote(name));
    expect(masked.sort()).toEqual(['api-key', 'password']);
  });
});

describe('docs/safety.md retry table', () => {
  const ROW: Readonly<Record<PolicyName, string>> = {
    create: 'create',
    login: "login after this run's create was answered",
    'login-unproven': 'login otherwise (existing, recovery, post)',
    'has-existing': 'has-existing',
    'key/create': 'key/create',
  };
  const LABEL: Readonly<Partial<Record<Failure, string>>> = {
    unsent: 'connection refused or DNS',
    lost: 'reset or timeout',
    server: '5xx',
    throttled: '429',
    unavailable: '503 with Retry-After',
    garbled: 'cut-off or non-JSON body',
  };
  const rows = tableUnder(read('docs/safety.md'), 'Retries');

  it("has a row for each policy, in the code's order", () => {
    expect(rows.map(([call]) => call)).toEqual(Object.values(ROW));
  });

  it.each(Object.entries(POLICIES) as [PolicyName, (typeof POLICIES)[PolicyName]][])(
    'states the %s policy as the code has it',
    (name, policy) => {
      const row = rows.find(([call]) => call === ROW[name]);
      expect(row).toEqual([
        ROW[name],
        [...policy.retryOn].map((f) => LABEL[f]).join(', '),
        [...policy.waitOut].map((f) => LABEL[f]).join(', ') +
          (Number.isFinite(policy.maxThrottles) ? `, ${policy.maxThrottles} times at most` : ''),
        String(policy.maxFailures),
      ]);
    },
  );
});
