// open/action.yml: the account sealed by main in an earlier job, opened in this one. It sends no request, and
// masks the key and the password before anything else is printed. The only place in this step that calls
// setFailed.
import { keyFingerprint } from '../core/account/secrets.ts';
import { open } from '../core/handoff/seal.ts';
import { readOpenInputs } from './inputs.ts';
import { publishAccount } from './outputs.ts';
import { runContext } from './run-context.ts';
import { getRawInput, maskSecretInputs } from './runner-inputs.ts';
import { commandsWritten, info, setFailed, setSecret } from './workflow-commands.ts';

export async function run(): Promise<void> {
  try {
    maskSecretInputs('handoff-secret');
    const inputs = await readOpenInputs(getRawInput, runContext());
    const account = openHandoff([inputs.handoff, inputs.secret, inputs.run], 'No key was handed out');
    await publishAccount(account, account.password, inputs.exportEnv);
    info(
      `Opened the handoff: ${account.email} (user ${account.userId}), with the API key ${keyFingerprint(account.apiKey)} (a fingerprint, not part of the key)`,
    );
  } catch (error) {
    setFailed(error instanceof Error ? error.message : String(error));
  }
  await commandsWritten();
}

/**
 * Opens, then masks at once: the key and password exist unmasked only between these two lines. A handoff that does
 * not open is an input error: `consequence` says what the step did not do.
 */
export function openHandoff(args: Parameters<typeof open>, consequence: string): ReturnType<typeof open> {
  try {
    const account = open(...args);
    setSecret(account.apiKey);
    setSecret(account.password);
    return account;
  } catch (error) {
    throw new Error(`Invalid input: 'handoff' ${error instanceof Error ? error.message : String(error)}. ${consequence}.`);
  }
}
