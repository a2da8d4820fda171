// Which proxy, if any, carries the run's one connection: decided once, before any connection, from the proxy
// variables. Their credentials must be masked first, and a malformed value must become a clear error that does not
// print it (undici's own error would). Pure: the environment comes in.
import { isLoopbackHost } from '../origin.ts';

export interface ProxyChoice {
  readonly proxyUrl?: string;
  /** Passwords in any proxy variable, raw and decoded, for the caller to mask. */
  readonly secrets: readonly string[];
  /** Set when the variable that applies to this origin does not parse; its value is never quoted. */
  readonly problem?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/**
 * The variables undici's EnvHttpProxyAgent reads, in its order (lowercase first), with the same NO_PROXY rules.
 * Loopback never goes through a proxy: credentials to a local http server would cross to it in clear.
 */
export function chooseProxy(origin: string, env: Env): ProxyChoice {
  const secrets = [...new Set(PROXY_VARIABLES.flatMap((name) => credentialsIn(env[name] ?? '')))].filter((s) => s.trim() !== '');
  const url = new URL(origin);
  const name = variableFor(url.protocol, env);
  if (name === undefined || isLoopbackHost(url.hostname) || bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return { secrets };
  const proxyUrl = env[name] ?? '';
  const problem = proxyUrlProblem(proxyUrl);
  return problem === undefined
    ? { proxyUrl, secrets }
    : { secrets, problem: `the environment variable ${name} ${problem} (the value is not shown: it may hold a password)` };
}

export const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

/** https uses HTTPS_PROXY, falling back to HTTP_PROXY; http uses HTTP_PROXY. An empty variable counts as unset. */
function variableFor(protocol: string, env: Env): string | undefined {
  const candidates = protocol === 'https:' ? PROXY_VARIABLES : PROXY_VARIABLES.slice(2);
  return candidates.find((name) => (env[name] ?? '') !== '');
}

function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname
    .replace(/^\[(.+)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  for (const entry of noProxy.split(/[,\s]+/).filter(Boolean)) {
    if (entry === '*') return true;
    const [, entryHost = '', entryPort] = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase()) ?? [];
    if (entryPort !== undefined && entryPort !== port) continue;
    const name = entryHost.replace(/^\[(.+)\]$/, '$1');
    if (/^[.*]/.test(name) ? host.endsWith(name.replace(/^\*/, '')) : host === name) return true;
  }
  return false;
}

function proxyUrlProblem(value: string): string | undefined {
  const url = URL.parse(value);
  if (url === null) return 'is not a URL; expected one such as http://proxy.example:3128';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  try {
    // undici decodes the credentials, and its URIError would name neither the variable nor the problem.
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return 'has a user name or password with a stray % (write a literal % as %25)';
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    return 'must be a proxy origin, such as http://proxy.example:3128, with no path';
  return undefined;
}

/** The password of user:password@host, found even in a value that is not a valid URL. */
function credentialsIn(value: string): string[] {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(value)?.[1] ?? /^([^/?#]*)@/.exec(value)?.[1];
  if (userinfo === undefined) return [];
  const colon = userinfo.indexOf(':');
  const raw = colon === -1 ? userinfo : userinfo.slice(colon + 1);
  if (raw === '') return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A stray % is kept as typed.
  }
  return [raw, decoded, userinfo];
}
