/**
 * The data model of a hostile request and its rendering to bytes. A request is plain data
 * (so fast-check prints a readable counterexample) naming fixtures by reference; render()
 * looks them up in the world when the request is sent.
 */
import type { HostileWorld, Ref } from './hostile-world';
import type { RawRequest } from './raw-request';

/** Text (encoded as the carrier needs), a fixture, or bytes put on the wire as they are. */
export type Piece = string | { readonly ref: Ref } | { readonly raw: readonly number[] };
export type Value = readonly Piece[];
export type JsonOdd = { readonly json: unknown };

export interface Param {
  readonly name: Value;
  readonly value: Value | JsonOdd;
}

export type Encoding = 'form' | 'json' | 'multipart' | 'text' | 'utf16' | 'none';

/** A header value: pieces as they are, or `scheme base64(pieces)` (Basic credentials). */
export type HeaderValue = Value | { readonly scheme: string; readonly b64: Value };

export interface HostileRequest {
  readonly method: string;
  /** Path segments; each is percent-encoded (raw pieces excepted) and joined with `/`. */
  readonly path: readonly Value[];
  readonly pathMutation: PathMutation;
  readonly query: readonly Param[];
  readonly body: readonly Param[];
  readonly encoding: Encoding;
  /** 'match' sends the encoding's own media type; 'absent' none; 'both' two headers. */
  readonly contentType: string;
  readonly headers: readonly (readonly [string, HeaderValue])[];
  /** Extra `pN=N` parameters appended to the body (and to the query when it has some). */
  readonly flood: number;
  /** A JSON body gets a parameter nested this deep (0: none). */
  readonly jsonDepth: number;
  /**
   * Raw pieces go into the URL and headers exactly as they are. Otherwise the bytes Node's
   * HTTP parser refuses outright (controls, space, non-ASCII) are percent-encoded in the URL
   * and replaced in headers, so the request reaches the application with its broken escapes
   * (`%E0%A4%A`) and odd characters; with them all, most requests would end at the parser.
   */
  readonly rawUrl: boolean;
}

export const PATH_MUTATIONS = [
  'none',
  'trailing-slash',
  'double-slash',
  'dot-segment',
  'encoded-slash',
  'upper-case',
  'semicolon',
  'fragment',
] as const;
export type PathMutation = (typeof PATH_MUTATIONS)[number];

const BOUNDARY = 'hostile-boundary-7MA4YWxk';
const MEDIA_TYPES: Record<Encoding, string | undefined> = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
  multipart: `multipart/form-data; boundary=${BOUNDARY}`,
  text: 'text/plain',
  utf16: 'application/x-www-form-urlencoded; charset=utf-16le',
  none: undefined,
};

export function render(req: HostileRequest, world: HostileWorld): RawRequest {
  const pieces = (v: Value) => bytesOf(v, world);
  const segments = req.path.map((segment) => pctEncode(segment, world).toString('latin1'));
  let path = mutatePath(`/${segments.join('/')}`, req.pathMutation);
  const query = encodeForm(req.query, world, req.query.length > 0 ? req.flood : 0);
  if (query.length > 0) path += `?${query.toString('latin1')}`;
  if (!req.rawUrl)
    path = path.replace(
      /[^\x21-\x7e]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    );
  const headers: [string, Buffer][] = [];
  const mediaType = req.contentType === 'match' ? MEDIA_TYPES[req.encoding] : req.contentType;
  if (req.contentType === 'both') {
    headers.push(['Content-Type', Buffer.from(MEDIA_TYPES.form!)]);
    headers.push(['Content-Type', Buffer.from(MEDIA_TYPES.json!)]);
  } else if (mediaType !== undefined && mediaType !== 'absent') {
    headers.push(['Content-Type', Buffer.from(mediaType)]);
  }
  for (const [name, value] of req.headers) {
    const bytes =
      'b64' in value
        ? Buffer.from(`${value.scheme}${pieces(value.b64).toString('base64')}`)
        : pieces(value);
    // CR/LF would end the header: header injection is test/integration/abuse's subject.
    const refused = (b: number) =>
      b === 13 || b === 10 || (!req.rawUrl && (b < 0x20 || b === 0x7f) && b !== 9);
    headers.push([name, Buffer.from(bytes.map((b) => (refused(b) ? 0x3f : b)))]);
  }
  return { method: req.method, target: path, headers, body: encodeBody(req, world) };
}

function encodeBody(req: HostileRequest, world: HostileWorld): Buffer {
  switch (req.encoding) {
    case 'none':
      return Buffer.alloc(0);
    case 'form':
      return encodeForm(req.body, world, req.flood);
    case 'utf16':
      return Buffer.from(encodeForm(req.body, world, req.flood).toString('latin1'), 'utf16le');
    case 'json':
      return encodeJson(req, world);
    case 'text':
      return Buffer.concat(
        req.body.map((p) =>
          Buffer.concat([
            bytesOf(p.name, world),
            Buffer.from('='),
            valueBytes(p.value, world),
            Buffer.from('\n'),
          ]),
        ),
      );
    case 'multipart':
      return Buffer.concat([
        ...req.body.map((p) =>
          Buffer.concat([
            Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="`),
            bytesOf(p.name, world),
            Buffer.from('"\r\n\r\n'),
            valueBytes(p.value, world),
            Buffer.from('\r\n'),
          ]),
        ),
        Buffer.from(`--${BOUNDARY}--\r\n`),
      ]);
  }
}

function encodeForm(params: readonly Param[], world: HostileWorld, flood: number): Buffer {
  const parts = params.map((p) =>
    Buffer.concat([pctEncode(p.name, world), Buffer.from('='), pctValue(p.value, world)]),
  );
  for (let i = 0; i < flood; i++) parts.push(Buffer.from(`p${i}=${i}`));
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('&'), part])));
}

function encodeJson(req: HostileRequest, world: HostileWorld): Buffer {
  // Written by hand: repeated names and invalid UTF-8 inside strings must survive.
  const members = req.body.map((p) =>
    Buffer.concat([jsonString(p.name, world), Buffer.from(':'), jsonValue(p.value, world)]),
  );
  for (let i = 0; i < req.flood; i++) members.push(Buffer.from(`"p${i}":${i}`));
  if (req.jsonDepth > 0) {
    members.push(Buffer.from(`"deep":${'['.repeat(req.jsonDepth)}${']'.repeat(req.jsonDepth)}`));
  }
  const joined = members.flatMap((m, i) => (i === 0 ? [m] : [Buffer.from(','), m]));
  return Buffer.concat([Buffer.from('{'), ...joined, Buffer.from('}')]);
}

function jsonValue(value: Value | JsonOdd, world: HostileWorld): Buffer {
  return isJsonOdd(value)
    ? Buffer.from(JSON.stringify(value.json) ?? 'null')
    : jsonString(value, world);
}

function jsonString(value: Value, world: HostileWorld): Buffer {
  const parts = value.map((piece) =>
    typeof piece === 'object' && 'raw' in piece
      ? Buffer.from(piece.raw)
      : Buffer.from(JSON.stringify(textOf(piece, world)).slice(1, -1)),
  );
  return Buffer.concat([Buffer.from('"'), ...parts, Buffer.from('"')]);
}

function valueBytes(value: Value | JsonOdd, world: HostileWorld): Buffer {
  return isJsonOdd(value) ? Buffer.from(JSON.stringify(value.json) ?? '') : bytesOf(value, world);
}

function pctValue(value: Value | JsonOdd, world: HostileWorld): Buffer {
  return isJsonOdd(value)
    ? pctEncode([JSON.stringify(value.json) ?? ''], world)
    : pctEncode(value, world);
}

function isJsonOdd(value: Value | JsonOdd): value is JsonOdd {
  return !Array.isArray(value);
}

function textOf(piece: Piece, world: HostileWorld): string {
  if (typeof piece === 'string') return piece;
  if ('ref' in piece) return world.get(piece.ref);
  return Buffer.from(piece.raw).toString('latin1');
}

/** The pieces' bytes: text as UTF-8 (a lone surrogate becomes U+FFFD), raw as it is. */
export function bytesOf(value: Value, world: HostileWorld): Buffer {
  return Buffer.concat(
    value.map((piece) =>
      typeof piece === 'object' && 'raw' in piece
        ? Buffer.from(piece.raw)
        : Buffer.from(textOf(piece, world), 'utf8'),
    ),
  );
}

/** Percent-encodes text pieces byte by byte (RFC 3986 unreserved kept); raw pieces as they are. */
function pctEncode(value: Value, world: HostileWorld): Buffer {
  return Buffer.concat(
    value.map((piece) => {
      if (typeof piece === 'object' && 'raw' in piece) return Buffer.from(piece.raw);
      const out: string[] = [];
      for (const byte of Buffer.from(textOf(piece, world), 'utf8')) {
        const c = String.fromCharCode(byte);
        out.push(
          /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
        );
      }
      return Buffer.from(out.join(''), 'latin1');
    }),
  );
}

function mutatePath(path: string, mutation: PathMutation): string {
  const last = path.lastIndexOf('/');
  switch (mutation) {
    case 'none':
      return path;
    case 'trailing-slash':
      return `${path}/`;
    case 'double-slash':
      return `/${path}`;
    case 'dot-segment':
      return `${path.slice(0, last)}/x/..${path.slice(last)}`;
    case 'encoded-slash':
      return last > 0 ? `${path.slice(0, last)}%2F${path.slice(last + 1)}` : path;
    case 'upper-case':
      return path.toUpperCase();
    case 'semicolon':
      return `${path};jsessionid=1`;
    case 'fragment':
      return `${path}#frag`;
  }
}
