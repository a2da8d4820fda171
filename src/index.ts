// Entry of action.yml's main step.
import { main } from './action/entries.ts';

await main();
