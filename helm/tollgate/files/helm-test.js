// `helm test`: a client_credentials token from the token endpoint (RFC 6749 section 4.4),
// then introspected (RFC 7662) by the same client; exit 0 only if it is active.
// Runs with the image's node (no curl there). Never prints the secret or the token.
const base = process.env.TOLLGATE_URL;
const basic = Buffer.from(
  `${encodeURIComponent(process.env.TEST_CLIENT_ID)}:${encodeURIComponent(process.env.TEST_CLIENT_SECRET)}`,
).toString('base64');
const post = (path, form) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(10000),
  });

(async () => {
  const token = await post('/oauth2/token', { grant_type: 'client_credentials' });
  const issued = await token.json();
  if (token.status !== 200 || !issued.access_token)
    throw new Error(`token endpoint: ${token.status} ${issued.error ?? ''}`);
  const answer = await post('/oauth2/introspect', { token: issued.access_token });
  const info = await answer.json();
  if (answer.status !== 200 || info.active !== true || info.client_id !== process.env.TEST_CLIENT_ID)
    throw new Error(`introspection: ${answer.status} active=${info.active}`);
  console.log(`ok: token issued to ${info.client_id} and introspected as active`);
})().catch((err) => {
  console.error(`helm test failed: ${err.message}`);
  process.exit(1);
});
