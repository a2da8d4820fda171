// Entry of open/action.yml.
import { open } from './action/entries.ts';

await open();
