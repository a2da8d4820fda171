// Entry of revoke/action.yml.
import { revoke } from './lib/index.js';
await revoke();
