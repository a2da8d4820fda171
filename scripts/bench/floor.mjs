// The floor for the CLI's `create`: the same three calls (create → login → key) with nothing but node:https, on one
// keep-alive socket. No retries, no timeouts, no input rules, no masking: what a provisioning costs when every
// guarantee is taken away. It trusts the stand-in's CA as the CLI does, through NODE_EXTRA_CA_CERTS.
// Usage: BASE=https://… EMAIL=… PASSWORD=… node scripts/bench/floor.mjs
import { Agent, request } from 'node:https';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(method, path, { body, token } = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = {
    ...(body !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
  };
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, process.env.BASE), { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(JSON.parse(text)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const email = process.env.EMAIL;
const password = process.env.PASSWORD;
const user = await call('POST', '/api/user/create', {
  body: { name: 'Ada Lovelace', email, password, company: '', country: '', role: '', campaign: 'bench', language: 'en-GB' },
});
if (user.status) throw new Error(`signup failed: ${user.status}`);
const login = await call('POST', '/api/user/login', { body: { email, password } });
if (!login?.token) throw new Error('login failed');
const key = await call('GET', '/api/user/key/create', { token: login.token });
agent.destroy();
if (!key.token) process.exit(1);
