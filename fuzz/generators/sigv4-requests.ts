// SigV4 requests built from sigv4-mutations.ts inputs: a CreateUser signed by the shared signer
// (or presigned in its query string), then the mutation applied to its headers, Authorization
// pieces or body.
import { presignQueryRequest, type QueryCredentials } from '../../harness/iam/sign-query-request.ts';
import type { FuzzIamEndpoint, RawHttpRequest } from './iam-endpoint.ts';
import type { Principal, SigningInput, SigningMutation } from './sigv4-mutations.ts';

/** Each principal's credentials, and a valid token of another session. */
export interface SigningPrincipals {
  credentials: Readonly<Record<Principal, QueryCredentials>>;
  otherSessionToken: string;
}

type Headers = Array<[string, string]>;

const find = (headers: Headers, name: string): number => headers.findIndex(([n]) => n.toLowerCase() === name);
const valueOf = (headers: Headers, name: string): string => headers[find(headers, name)]?.[1] ?? '';
function setValue(headers: Headers, name: string, value: string): void {
  const at = find(headers, name);
  if (at >= 0) headers[at] = [headers[at][0], value];
}
function drop(headers: Headers, name: string): void {
  const at = find(headers, name);
  if (at >= 0) headers.splice(at, 1);
}

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` taken apart. */
interface AuthorizationParts {
  algorithm: string;
  fields: Array<[string, string]>;
}

function parseParts(value: string): AuthorizationParts {
  const space = value.indexOf(' ');
  const fields = value
    .slice(space + 1)
    .split(', ')
    .map((part): [string, string] => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]);
  return { algorithm: value.slice(0, space), fields };
}

const formatParts = ({ algorithm, fields }: AuthorizationParts, separator = ', '): string =>
  `${algorithm} ${fields.map(([name, value]) => `${name}=${value}`).join(separator)}`;

function editField(parts: AuthorizationParts, name: string, edit: (value: string) => string): void {
  const field = parts.fields.find(([n]) => n === name);
  if (field) field[1] = edit(field[1]);
}

const flipChar = (text: string, at: number): string => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
const SCOPE_PARTS = { key: 0, date: 1, region: 2, service: 3, terminator: 4 } as const;

function editSignature(signature: string, edit: Extract<SigningMutation, { kind: 'signature' }>['edit']): string {
  switch (edit) {
    case 'truncate':
      return signature.slice(0, -1);
    case 'extend':
      return `${signature}0`;
    case 'uppercase':
      return signature.toUpperCase();
    case 'flip':
      return signature.slice(0, 10) + (signature[10] === '0' ? '1' : '0') + signature.slice(11);
    case 'non-hex':
      return 'g'.repeat(signature.length);
    case 'empty':
      return '';
  }
}

function editDate(amzDate: string, value: Extract<SigningMutation, { kind: 'date-header' }>['value']): string {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate)!;
  const shifted = (ms: number): string => new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  switch (value) {
    case 'next-second':
      return shifted(1000);
    case 'next-day':
      return shifted(86_400_000);
    case 'extended-format':
      return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
    case 'no-zone':
      return amzDate.slice(0, -1);
    case 'lower-case':
      return amzDate.toLowerCase();
    case 'month-13':
      return `${y}13${d}T${h}${mi}${s}Z`;
    case 'epoch':
      return '19700101T000000Z';
  }
}

/** The request's token, as the mutation makes it (a token for a long-term key too). */
function tokenFor(input: SigningInput, principals: SigningPrincipals): string | undefined {
  const own = principals.credentials[input.principal].sessionToken;
  const m = input.mutation;
  if (m.kind !== 'token' || m.token === 'changed-after-signing') return own;
  const base = own ?? principals.otherSessionToken;
  switch (m.token) {
    case 'absent':
      return undefined;
    case 'forged':
      return flipChar(base, 20);
    case 'truncated':
      return base.slice(0, -4);
    case 'other-session':
      return principals.otherSessionToken;
  }
}

async function presigned(endpoint: FuzzIamEndpoint, credentials: QueryCredentials, body: string, variant: Extract<SigningMutation, { kind: 'presign' }>['variant']): Promise<RawHttpRequest> {
  const { host } = new URL(endpoint.server.url);
  const signingDate = new Date(endpoint.clock.now() - (variant === 'expired' ? 20 * 60_000 : 0));
  const query = await presignQueryRequest({ url: endpoint.server.url, credentials, headers: { host }, query: Object.fromEntries(new URLSearchParams(body)), signingDate });
  if (variant === 'tampered') query.UserName = `${query.UserName}x`;
  if (variant === 'missing-signature') delete query['X-Amz-Signature'];
  if (variant === 'missing-credential') delete query['X-Amz-Credential'];
  if (variant === 'missing-date') delete query['X-Amz-Date'];
  const search = new URLSearchParams(Object.entries(query).flatMap(([name, value]) => [value].flat().map((v): [string, string] => [name, v])));
  return { method: 'GET', path: `/?${search}`, headers: [['host', host]], body: Buffer.alloc(0) };
}

/** CreateUser of `userName` signed by the input's principal, then mutated. */
export async function signingRequest(endpoint: FuzzIamEndpoint, principals: SigningPrincipals, input: SigningInput, userName: string): Promise<RawHttpRequest> {
  const m = input.mutation;
  const body = `Action=CreateUser&Version=2010-05-08&UserName=${userName}`;
  const credentials = { ...principals.credentials[input.principal], sessionToken: tokenFor(input, principals) };
  if (m.kind === 'presign') return presigned(endpoint, credentials, body, m.variant);
  const request = await endpoint.signedRequest({
    body,
    credentials,
    date: new Date(endpoint.clock.now() + (m.kind === 'skew' ? m.minutes * 60_000 : 0)),
    ...(m.kind === 'scope' && { region: m.region, service: m.service }),
    ...(m.kind === 'unsigned-header' && { unsignableHeaders: new Set([m.name]) }),
    ...(m.kind === 'extra-signed-header' && { headers: { [m.name]: m.value } }),
  });
  const headers: Headers = request.headers.map(([name, value]) => [name, value]);
  const auth = parseParts(valueOf(headers, 'authorization'));
  let requestBody = request.body;
  switch (m.kind) {
    case 'algorithm':
      auth.algorithm = m.value;
      break;
    case 'drop-auth-field':
      auth.fields = auth.fields.filter(([name]) => name !== m.field);
      break;
    case 'credential-shape':
      editField(auth, 'Credential', (credential) => {
        const parts = credential.split('/');
        if (m.credential === 'four-parts') return parts.slice(0, 4).join('/');
        if (m.credential === 'six-parts') return [...parts, 'extra'].join('/');
        parts[2] = '';
        return parts.join('/');
      });
      break;
    case 'credential-part':
      editField(auth, 'Credential', (credential) => credential.split('/').map((part, i) => (i === SCOPE_PARTS[m.part] ? m.value : part)).join('/'));
      break;
    case 'signed-headers':
      editField(auth, 'SignedHeaders', (list) => {
        const names = list.split(';');
        if (m.edit === 'uppercase') return list.toUpperCase();
        if (m.edit === 'reversed') return names.reverse().join(';');
        if (m.edit === 'phantom') return [...names, 'x-phantom', 'constructor', '__proto__'].sort().join(';');
        if (m.edit === 'repeated') return [names[0], ...names].join(';');
        return '';
      });
      break;
    case 'signature':
      editField(auth, 'Signature', (signature) => editSignature(signature, m.edit));
      break;
    case 'date-header':
      setValue(headers, 'x-amz-date', editDate(valueOf(headers, 'x-amz-date'), m.value));
      break;
    case 'drop-header':
      drop(headers, m.name);
      break;
    case 'repeat-header':
      if (find(headers, m.name) >= 0) headers.push([m.name, valueOf(headers, m.name)]);
      break;
    case 'token':
      if (m.token !== 'changed-after-signing') break;
      if (find(headers, 'x-amz-security-token') >= 0) setValue(headers, 'x-amz-security-token', flipChar(valueOf(headers, 'x-amz-security-token'), 20));
      else headers.push(['x-amz-security-token', principals.otherSessionToken]);
      break;
    case 'body':
      requestBody = m.edit === 'append' ? Buffer.from(`${body}&UserName=other`) : m.edit === 'rename' ? Buffer.from(`${body.slice(0, -1)}_`) : Buffer.from(body.slice(0, -1));
      setValue(headers, 'content-length', String(requestBody.length));
      break;
    case 'harmless':
      if (m.edit === 'inner-spaces') setValue(headers, 'content-type', valueOf(headers, 'content-type').replace('; ', ';   '));
      // Content-Length is framing, which Node's HTTP parser reads strictly, before any SigV4.
      if (m.edit === 'padding') for (const header of headers) if (header[0] !== 'content-length') header[1] = `  ${header[1]}\t`;
      if (m.edit === 'header-case') for (const header of headers) header[0] = header[0].toUpperCase();
      break;
  }
  if (m.kind === 'authorization') {
    if (m.value === 'absent') drop(headers, 'authorization');
    else setValue(headers, 'authorization', '');
  } else if (find(headers, 'authorization') >= 0) {
    const separator = m.kind === 'harmless' && m.edit === 'compact-authorization' ? ',' : m.kind === 'harmless' && m.edit === 'spaced-authorization' ? ' ,   ' : ', ';
    setValue(headers, 'authorization', formatParts(auth, separator));
  }
  return { ...request, headers, body: requestBody };
}
