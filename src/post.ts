// Entry of action.yml's post step, run when the job ends.
import { post } from './action/entries.ts';

await post();
