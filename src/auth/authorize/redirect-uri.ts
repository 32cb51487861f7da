import type { OAuthClient } from '../../clients/client.types';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** An `http` URI on a loopback IP literal, without credentials or fragment. */
function loopback(uri: string): URL | undefined {
  const url = parse(uri);
  const plain = url && !url.username && !url.password && !url.hash;
  return plain && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url : undefined;
}

/**
 * RFC 8252 section 7.3: a native app listens on an ephemeral loopback port, so for its
 * loopback IP redirect URIs any port matches; scheme, address, path and query must not vary.
 */
function sameLoopbackIgnoringPort(registered: string, requested: URL): boolean {
  const r = loopback(registered);
  return (
    r !== undefined &&
    r.hostname === requested.hostname &&
    r.pathname === requested.pathname &&
    r.search === requested.search
  );
}

/**
 * The redirect URI an authorization request is answered at, or undefined when the request
 * names none that is registered. Exact string comparison (RFC 9700 section 2.1: no prefix,
 * pattern or wildcard matching). Omitted: allowed only when exactly one URI is registered
 * (RFC 6749 section 3.1.2.3). The loopback port variation applies to public (native) clients
 * only: a confidential web client's URIs are matched exactly, port included.
 */
export function resolveRedirectUri(
  client: OAuthClient,
  requested: string | undefined,
): string | undefined {
  if (requested === undefined) {
    return client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
  }
  if (client.redirectUris.includes(requested)) return requested;
  if (client.tokenEndpointAuthMethod !== 'none') return undefined;
  const url = loopback(requested);
  // Only the canonical spelling: the URL parser reads http://0x7f.0.0.1/, http://127.1/,
  // /x/../cb or a tab in the path as the registered host and path, but those are other strings.
  return url?.href === requested &&
    client.redirectUris.some((r) => sameLoopbackIgnoringPort(r, url))
    ? requested
    : undefined;
}
