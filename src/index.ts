// Entry of action.yml, for both its main and its post step.
import { mainOrPost } from './action/entries.ts';

await mainOrPost();
