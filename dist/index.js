// Entry of action.yml's main step.
import { main } from './lib/index.js';
await main();
