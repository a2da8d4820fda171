// Entry of action.yml, for both its main and its post step.
import { mainOrPost } from './lib/index.js';
await mainOrPost();
