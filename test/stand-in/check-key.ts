// The later step of the E2E workflow, in Node so it runs the same on every runner OS: does the key in
// AXIOM_API_KEY work on the stand-in, for the expected account?
//   node test/stand-in/check-key.ts --base-url URL --expect works|revoked [--email ADDRESS]
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'base-url': { type: 'string' }, expect: { type: 'string' }, email: { type: 'string' } } });
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
