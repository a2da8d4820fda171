// The bundle: every step of every action.yml runs one of these. ncc builds this file into dist/lib/index.js, once,
// and each entry file in dist/ (index.js, post.js, open.js, revoke.js) calls one export.
export { run as main } from './main.ts';
export { run as post } from './post.ts';
export { open, revoke } from './sub-actions.ts';
