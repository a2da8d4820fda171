// The job summary as Markdown. Pure: it is handed only what is safe to show, so it cannot leak a secret.
import type { LarAccount } from '../core/flow.ts';
import type { CallRecord } from '../core/lar/client.ts';

type RevokeAtJobEnd = 'at-job-end' | 'off' | 'handed-off';

export type RevokeOutcome = { readonly revoked: true } | { readonly revoked: false; readonly why: string; readonly keyMayBeDead: boolean };

export interface SummaryModel {
  readonly account?: Pick<LarAccount, 'email' | 'userId' | 'created'> & { readonly keyFingerprint: string };
  readonly calls: readonly CallRecord[];
  readonly failure?: string;
  readonly revoke: RevokeAtJobEnd;
}

// The runner scrubs a secret from the summary only where it appears whole, so values are shown in code spans and
// blocks, where nothing is escaped: an escape inside a secret (\_) would leave its pieces unmasked.

/** A value a code span in a table cannot hold whole (a |, a backtick, a line break) is not shown. */
const cell = (text: string): string =>
  /[|`\r\n]/.test(text) ? '(not shown: it holds a character a table cell cannot show whole)' : `\`${text}\``;

const REVOKE_ROW: Readonly<Record<RevokeAtJobEnd, string>> = {
  'at-job-end': 'yes',
  off: 'no (revoke-on-exit: false)',
  'handed-off': 'no: handed off to later jobs; org/axiom-provision/revoke@v1 ends it',
};

/** In a code block, as the log shows it: an error may quote an input whole. */
function renderFailure(failure: string): string[] {
  const longestBackticks = Math.max(0, ...(failure.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestBackticks + 1));
  return ['**Failed:**', '', fence, failure.trim(), fence];
}

export function renderSummary(model: SummaryModel): string {
  const lines = ['### axiom-provision', ''];
  if (model.account !== undefined) {
    const { email, userId, created, keyFingerprint } = model.account;
    lines.push(
      '| account | |',
      '|---|---|',
      `| email | ${cell(email)} |`,
      `| user id | ${cell(userId)} |`,
      `| account | ${created ? 'created by this run' : 'already existed'} |`,
      `| API key | fingerprint ${cell(keyFingerprint)} |`,
      `| revoke at job end | ${REVOKE_ROW[model.revoke]} |`,
      '',
    );
  }
  if (model.account === undefined || model.failure !== undefined) {
    lines.push(...renderFailure(model.failure ?? 'no account was provisioned'), '');
  }
  if (model.calls.length > 0) {
    const rows = model.calls.map(({ call, attempts, ms, outcome }) => `| ${call} | ${attempts} | ${ms} ms | ${cell(outcome)} |`);
    lines.push('| API call | attempts | time | outcome |', '|---|---:|---:|---|', ...rows, '');
  }
  return lines.join('\n');
}

export function renderRevokeLine(outcome: RevokeOutcome): string {
  return outcome.revoked
    ? '\n**Key revoked:** the API key handed out no longer works.\n'
    : `\n**Key not revoked:** ${cell(outcome.why)}. The API key handed out ${outcome.keyMayBeDead ? 'may or may not still work' : 'still works'}.\n`;
}
