// Entry of action.yml's post step, run when the job ends.
import { post } from './lib/index.js';
await post();
