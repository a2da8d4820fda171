// The later step of the E2E workflow, in Node so it runs the same on every runner OS.
import { parseCommandLine } from '../../scripts/command-line.ts';

const USAGE = `usage: node test/stand-in/check-key.ts --base-url URL --expect works|revoked [--email ADDRESS]

Asks the stand-in at URL whether the key in AXIOM_API_KEY works (for ADDRESS, if given), and fails if that is not
what --expect says.`;
const { values, refuse } = parseCommandLine(USAGE, {
  options: { 'base-url': { type: 'string' }, expect: { type: 'string' }, email: { type: 'string' } },
});
if (values['base-url'] === undefined) refuse('--base-url is required');
if (values.expect !== 'works' && values.expect !== 'revoked') refuse('--expect takes works or revoked');
const key = process.env.AXIOM_API_KEY ?? '';
if (key === '') throw new Error('AXIOM_API_KEY is empty: the step output did not reach this step');
const response = await fetch(`${values['base-url']}/stand-in/whoami`, { headers: { authorization: `Bearer ${key}` } });
const owner = response.ok ? ((await response.json()) as { email: string }).email : undefined;
const works = owner !== undefined && (values.email === undefined || owner === values.email);
console.log(owner === undefined ? 'the key does not work' : `the key works for ${owner}`);
if (works !== (values.expect === 'works')) {
  console.log(`::error::expected the key to be ${values.expect}${values.email ? ` for ${values.email}` : ''}`);
  process.exitCode = 1;
}
