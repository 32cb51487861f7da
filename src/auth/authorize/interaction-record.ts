import type { AuthorizationRequest, Prompt } from './authorization-request';
import type { InteractionRecord } from './interaction.store';

/** Conversions between an InteractionRecord and its Redis hash fields. */

export function interactionFields(record: InteractionRecord): Record<string, string> {
  const r = record.request;
  return {
    client_id: r.clientId,
    redirect_uri: r.redirectUri,
    scope: r.scope.join(' '),
    ...(r.codeChallenge !== undefined
      ? { code_challenge: r.codeChallenge, code_challenge_method: 'S256' }
      : {}),
    prompt: r.prompt.join(' '),
    ...(r.state !== undefined ? { state: r.state } : {}),
    ...(r.maxAge !== undefined ? { max_age: String(r.maxAge) } : {}),
    created_at: String(record.createdAtMs),
    binding: record.bindingDigest,
  };
}

const words = (value: string | undefined): string[] =>
  (value ?? '').split(' ').filter((s) => s !== '');

export function toInteractionRecord(f: Record<string, string>): InteractionRecord | null {
  if (!f.client_id || !f.binding) return null;
  const request: AuthorizationRequest = {
    clientId: f.client_id,
    redirectUri: f.redirect_uri,
    scope: words(f.scope),
    // No challenge: a request without PKCE (a client with require_pkce=false).
    ...(f.code_challenge ? { codeChallenge: f.code_challenge, codeChallengeMethod: 'S256' } : {}),
    prompt: words(f.prompt) as Prompt[],
    ...(f.state !== undefined ? { state: f.state } : {}),
    ...(f.max_age !== undefined ? { maxAge: Number(f.max_age) } : {}),
  };
  return { request, createdAtMs: Number(f.created_at), bindingDigest: f.binding };
}
