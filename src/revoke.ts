// Entry of revoke/action.yml.
import { revoke } from './action/entries.ts';

await revoke();
