// Entry of open/action.yml.
import { open } from './lib/index.js';
await open();
