// undici's index.js loads every feature it has (fetch, WebSocket, caches, mocks) at start-up. We load the agent
// and the request API only, wired together as index.js wires them: about half the code, and a faster cold
// start (npm run bench measures what the bundle adds).
import type { Dispatcher as DispatcherType } from 'undici';
import api from 'undici/lib/api/index.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import { keepHttpParserOnBaselineTier } from './wasm-tier.ts';

// The same line as undici's index.js: request(), connect() (which ProxyAgent tunnels with) and the rest of the
// API live on Dispatcher.prototype.
Object.assign(Dispatcher.prototype, api);

export type { DispatcherType as Dispatcher };

/**
 * One keep-alive connection for every call of a run: a new TLS connection costs two round trips, and the
 * global fetch opens a second one for the second request. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured
 * (the proxy gets the one connection instead); NODE_EXTRA_CA_CERTS works because Node adds it to the default
 * CA store that every TLS connection uses.
 */
export function createDispatcher(): DispatcherType {
  keepHttpParserOnBaselineTier(); // before undici instantiates its wasm parser: see wasm-tier.ts
  return new EnvHttpProxyAgent({ connections: 1, pipelining: 1 });
}

/** A plain request: undici's request() never follows redirects, so credentials cannot leave the origin. */
export function send(dispatcher: DispatcherType, options: DispatcherType.RequestOptions): Promise<DispatcherType.ResponseData> {
  return dispatcher.request(options);
}
