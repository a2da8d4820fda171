// The job summary as Markdown. Pure: it is handed only what is safe to show, so it cannot leak a secret.
import type { CallRecord } from '../core/lar/client.ts';

export interface SummaryModel {
  readonly account?: {
    readonly email: string;
    readonly userId: string;
    readonly created: boolean;
    /** The last four characters only: enough to tell keys apart, far too few to use. */
    readonly keyHint: string;
  };
  readonly calls: readonly CallRecord[];
  readonly failure?: string;
  readonly revokeOnExit: boolean;
}

const cell = (text: string): string => text.replace(/[\\|<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

export function renderSummary(model: SummaryModel): string {
  const lines = ['### axiom-provision', ''];
  if (model.account !== undefined) {
    const { email, userId, created, keyHint } = model.account;
    lines.push(
      '| account | |',
      '|---|---|',
      `| email | ${cell(email)} |`,
      `| user id | ${cell(userId)} |`,
      `| account | ${created ? 'created by this run' : 'already existed'} |`,
      `| API key | \`…${cell(keyHint)}\` |`,
      `| revoke at job end | ${model.revokeOnExit ? 'yes' : 'no (revoke-on-exit: false)'} |`,
      '',
    );
  } else {
    lines.push(`**Failed:** ${cell(model.failure ?? 'no account was provisioned')}`, '');
  }
  if (model.calls.length > 0) {
    lines.push('| API call | attempts | time | outcome |', '|---|---:|---:|---|');
    for (const { call, attempts, ms, outcome } of model.calls) {
      lines.push(`| ${call} | ${attempts} | ${ms} ms | ${cell(outcome)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function renderRevokeLine(outcome: { readonly revoked: true } | { readonly revoked: false; readonly why: string }): string {
  return outcome.revoked
    ? '\n**Key revoked** at the end of the job: the API key handed to this job no longer works.\n'
    : `\n**Key not revoked:** ${cell(outcome.why)}. The API key handed to this job still works.\n`;
}
