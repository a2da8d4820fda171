// The API page's end-to-end example (../shared/lar-signup-api.md), kept as close to verbatim as a benchmark
// allows: global fetch, create → login → key. Plain JavaScript, so Node starts it without a TypeScript step.
// Usage: BASE=https://… EMAIL=… PASSWORD=… node scripts/bench/documented-flow.mjs
const BASE = process.env.BASE;

async function signUpAndMintKey({ name, email, password, campaign = 'programmatic' }) {
  const createRes = await fetch(`${BASE}/api/user/create`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, email, password, company: '', country: '', role: '', campaign, language: 'en-GB' }),
  });
  const createJson = await createRes.json();
  if (createJson.status) throw new Error(`signup failed: ${createJson.status}`);
  const loginRes = await fetch(`${BASE}/api/user/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const loginJson = await loginRes.json();
  if (loginJson === null) throw new Error('login failed: bad credentials');
  if (loginJson === 'blocked') throw new Error('login failed: account locked (too many failed attempts)');
  const keyRes = await fetch(`${BASE}/api/user/key/create`, { headers: { Authorization: `Bearer ${loginJson.token}` } });
  const keyJson = await keyRes.json();
  return { user: createJson, apiKey: keyJson.token };
}

const { apiKey } = await signUpAndMintKey({
  name: 'Ada Lovelace',
  email: process.env.EMAIL,
  password: process.env.PASSWORD,
  campaign: 'bench',
});
if (!apiKey) process.exit(1);
