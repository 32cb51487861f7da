/**
 * The forms in which a secret could leak into a log line: as is, percent-encoded (query
 * strings, forms), base64 and base64url (Basic credentials, binary dumps) and JSON-escaped.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  // Base64 of a string that starts at an offset of 1 or 2 bytes inside a longer value
  // (e.g. "id:secret" in Basic) shares no aligned prefix with the forms above: check the
  // middle of each shifted encoding too (its first and last characters depend on neighbours).
  forms.add(Buffer.from(secret).toString('base64').slice(0, -4));
  for (const pad of ['a', 'ab']) {
    const shifted = Buffer.from(pad + secret).toString('base64');
    forms.add(shifted.slice(4, -4));
  }
  return [...forms].filter((f) => f.length >= 8);
}

/** Each secret (by label) that appears, in any of its forms, in `text`. */
export function leakedSecrets(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => secretForms(secret).some((form) => text.includes(form)))
    .map(([label]) => label);
}
