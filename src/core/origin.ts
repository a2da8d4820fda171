// Where LAR may be reached, checked the same way for an input and for what a later step reads back: https, or http
// to a loopback host (credentials must never cross a network in clear), an origin only. Pure.

export const LAR_ORIGIN = 'https://lar.axiom.ai';

const ACCEPTED = `https, or http for a loopback host (localhost, 127.x.x.x, [::1]) when testing locally`;

/** A URL's hostname that names this machine: the only one plain http may reach, and one no proxy stands in front of. */
export const isLoopbackHost = (hostname: string): boolean => /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(hostname);

/** `showValue` is false when the value may hold credentials: the caller must not quote it. */
export type OriginCheck = { readonly origin: string } | { readonly problem: string; readonly showValue: boolean };

export function checkOrigin(value: string): OriginCheck {
  // A URL with an @ may carry credentials (user:password@host), parsed or not.
  if (value.includes('@')) {
    return { problem: `must not contain credentials or an @; expected an origin such as ${LAR_ORIGIN}`, showValue: false };
  }
  const problem = (text: string): OriginCheck => ({ problem: text, showValue: true });
  const url = URL.parse(value);
  if (url === null) return problem(`is not a URL; expected an origin such as ${LAR_ORIGIN}`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return problem(`uses http to a host that is not loopback; credentials would cross the network in clear. Accepted: ${ACCEPTED}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return problem(`uses another scheme. Accepted: ${ACCEPTED}`);
  // A host name beyond DNS's limits cannot resolve, and would be quoted whole by every connection error.
  if (url.hostname.length > 253 || url.hostname.split('.').some((label) => label.length > 63)) {
    return problem('has a host name longer than DNS allows (253 characters, 63 per label)');
  }
  if (url.search !== '' || url.hash !== '' || url.pathname !== '/') {
    return problem(`must be an origin only (no path, query or fragment), such as ${LAR_ORIGIN}`);
  }
  // Errors name the origin they tried: spelled as given, a base-url passed from a secret stays masked there too.
  if (value.replace(/\/$/, '') !== url.origin) {
    return problem(`must be written as an origin is, in lower case and without a default port, such as ${LAR_ORIGIN}`);
  }
  return { origin: url.origin };
}
