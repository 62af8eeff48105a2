// AWS Signature Version 4 on the receiving side (AWS General Reference, "Signature Version 4
// signing process"; "Elements of an AWS API request signature"). The signature is recomputed with
// `@smithy/signature-v4`, the signer of the AWS SDK for JavaScript, over exactly the headers the
// client listed in SignedHeaders, and compared in constant time.
import { SignatureV4 } from '@smithy/signature-v4';
import { constantTimeEqual } from '../util/constant-time.ts';
import { IamError } from './errors.ts';
import { Sha256 } from './sha256.ts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** IAM and STS reject a request whose X-Amz-Date is more than 15 minutes off their clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** The request as it arrived: the bytes signature verification needs. */
export interface SignedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Node's lower-cased header bag. */
  headers: HeaderBag;
  body: Buffer;
}

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface Authorization {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date as sent (`20150830T123600Z`) and as a time. */
  amzDate: string;
  signingDate: Date;
  /** Where the signature came: the Authorization header, or the query string of a presigned request. */
  location: 'header' | 'query';
  /** X-Amz-Security-Token of temporary credentials, from the same place. */
  securityToken: string | undefined;
  /** X-Amz-Expires of a presigned request, in seconds. */
  expiresSeconds: number | undefined;
}

/** A header's value; names come from the client (SignedHeaders), so only the bag's own ones count. */
const header = (headers: HeaderBag, name: string): string | undefined => {
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return Array.isArray(value) ? value.join(',') : value;
};

const signatureMismatch = (): IamError =>
  new IamError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );

/** `20150830T123600Z` -> Date, or undefined when it is not that shape or no such time. */
function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  // Date.UTC carries over (month 13 is next January); AWS refuses a date that does not exist.
  return !Number.isNaN(date.getTime()) && amzDateOf(date) === text ? date : undefined;
}

const amzDateOf = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Query string authentication's parameters (a presigned request). */
const QUERY_AUTH = {
  algorithm: 'X-Amz-Algorithm',
  credential: 'X-Amz-Credential',
  signature: 'X-Amz-Signature',
  signedHeaders: 'X-Amz-SignedHeaders',
  date: 'X-Amz-Date',
  expires: 'X-Amz-Expires',
  token: 'X-Amz-Security-Token',
} as const;
/** The longest X-Amz-Expires: a signing key is valid for seven days. */
const MAX_EXPIRES_SECONDS = 604800;

/** What both places carry, once their own shape is checked. */
interface SignatureParts {
  location: Authorization['location'];
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string;
  securityToken: string | undefined;
  expiresSeconds: number | undefined;
}

function checkAlgorithm(algorithm: string): void {
  if (algorithm !== SIGV4_ALGORITHM) throw new IamError('IncompleteSignature', `Unsupported AWS 'algorithm': '${algorithm}'`);
}

function fromHeader(headers: HeaderBag, value: string): SignatureParts {
  const space = value.indexOf(' ');
  checkAlgorithm(space < 0 ? value : value.slice(0, space));
  const fields = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw new IamError(
      'IncompleteSignature',
      `${missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')} Authorization=${value}`,
    );
  }
  const amzDate = header(headers, 'x-amz-date');
  if (amzDate === undefined) {
    throw new IamError('IncompleteSignature', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${value}`);
  }
  return {
    location: 'header',
    credential: fields.get('Credential')!,
    signedHeaders: fields.get('SignedHeaders')!,
    signature: fields.get('Signature')!,
    amzDate,
    securityToken: header(headers, 'x-amz-security-token'),
    expiresSeconds: undefined,
  };
}

function fromQuery(params: URLSearchParams): SignatureParts {
  const required = [QUERY_AUTH.algorithm, QUERY_AUTH.credential, QUERY_AUTH.signature, QUERY_AUTH.signedHeaders, QUERY_AUTH.date];
  if (required.some((name) => !params.get(name))) {
    throw new IamError('IncompleteSignature', `AWS query-string parameters must include ${required.map((name) => `'${name}'`).join(', ')}. Re-examine the query-string parameters.`);
  }
  checkAlgorithm(params.get(QUERY_AUTH.algorithm)!);
  const expires = params.get(QUERY_AUTH.expires);
  if (expires !== null && !(/^[1-9]\d{0,5}$/.test(expires) && Number(expires) <= MAX_EXPIRES_SECONDS)) {
    throw new IamError('IncompleteSignature', `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}, got '${expires}'.`);
  }
  return {
    location: 'query',
    credential: params.get(QUERY_AUTH.credential)!,
    signedHeaders: params.get(QUERY_AUTH.signedHeaders)!,
    signature: params.get(QUERY_AUTH.signature)!,
    amzDate: params.get(QUERY_AUTH.date)!,
    securityToken: params.get(QUERY_AUTH.token) ?? undefined,
    expiresSeconds: expires === null ? undefined : Number(expires),
  };
}

/**
 * Reads the signature's parts from the Authorization header and X-Amz-Date, or else from the
 * query string of a presigned request; checks their shape, not the signature.
 */
export function parseAuthorization(headers: HeaderBag, query = ''): Authorization {
  const value = header(headers, 'authorization');
  let parts: SignatureParts;
  if (value !== undefined && value !== '') {
    parts = fromHeader(headers, value);
  } else {
    const params = new URLSearchParams(query);
    if (![QUERY_AUTH.algorithm, QUERY_AUTH.credential, QUERY_AUTH.signature].some((name) => params.has(name))) {
      throw new IamError('MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    parts = fromQuery(params);
  }
  const credential = parts.credential.split('/');
  if (credential.length !== 5 || credential.some((part) => part === '')) {
    throw new IamError('IncompleteSignature', `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.credential}'`);
  }
  const [accessKeyId, date, region, service, terminator] = credential;
  if (terminator !== 'aws4_request') {
    throw new IamError('SignatureDoesNotMatch', `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  const { amzDate } = parts;
  const signingDate = parseAmzDate(amzDate);
  if (signingDate === undefined) throw new IamError('IncompleteSignature', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'", got '${amzDate}'`);
  if (amzDate.slice(0, 8) !== date) {
    throw new IamError(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  // The host binds the signature to this endpoint, the date to its 15 minutes.
  const signedHeaders = parts.signedHeaders.split(';');
  if (!signedHeaders.includes('host')) throw new IamError('IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  if (parts.location === 'header' && !signedHeaders.includes('x-amz-date')) {
    throw new IamError('IncompleteSignature', "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return {
    scope: { accessKeyId, date, region, service },
    signedHeaders,
    signature: parts.signature,
    amzDate,
    signingDate,
    location: parts.location,
    securityToken: parts.securityToken,
    expiresSeconds: parts.expiresSeconds,
  };
}

/** A signature is valid for 15 minutes either side of the server's clock. */
export function checkClockSkew(auth: Authorization, nowMs: number, maxSkewMs = MAX_CLOCK_SKEW_MS): void {
  const signed = auth.signingDate.getTime();
  const minutes = `${Math.round(maxSkewMs / 60000)} min.`;
  if (signed < nowMs - maxSkewMs) {
    const now = new Date(nowMs);
    throw new IamError(
      'SignatureDoesNotMatch',
      `Signature expired: ${auth.amzDate} is now earlier than ${amzDateOf(new Date(nowMs - maxSkewMs))} (${amzDateOf(now)} - ${minutes})`,
    );
  }
  if (signed > nowMs + maxSkewMs) {
    throw new IamError(
      'SignatureDoesNotMatch',
      `Signature not yet current: ${auth.amzDate} is still later than ${amzDateOf(new Date(nowMs + maxSkewMs))} (${amzDateOf(new Date(nowMs))} + ${minutes})`,
    );
  }
}

function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const prior = out[name];
    out[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

/** Recomputes the signature with the caller's secret; throws SignatureDoesNotMatch on any difference. */
export async function verifySignature(request: SignedRequest, auth: Authorization, secretAccessKey: string): Promise<void> {
  // No prototype: a header may be called `__proto__` or `constructor` and still be signed.
  const headers: Record<string, string> = Object.create(null);
  for (const name of auth.signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined) throw signatureMismatch();
    headers[name] = value;
  }
  // A signed body hash only binds the body if it is the body's hash.
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined) {
    const actual = new Sha256();
    actual.update(request.body);
    if (declaredHash !== Buffer.from(await actual.digest()).toString('hex')) throw signatureMismatch();
  }
  const { scope } = auth;
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: { accessKeyId: scope.accessKeyId, secretAccessKey, sessionToken: auth.location === 'query' ? auth.securityToken : undefined },
    sha256: Sha256,
    applyChecksum: false,
  });
  const query = queryObject(request.query);
  const toSign = { method: request.method, protocol: 'http:', hostname: headers.host ?? '', path: request.path, query, headers, body: request.body };
  const signableHeaders = new Set(auth.signedHeaders);
  let expected: string | undefined;
  if (auth.location === 'header') {
    const signed = await signer.sign(toSign, { signingDate: auth.signingDate, signableHeaders });
    expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
  } else {
    // The presigner adds the query authentication parameters back itself, the signature aside.
    delete query[QUERY_AUTH.signature];
    const presigned = await signer.presign(toSign, {
      signingDate: auth.signingDate,
      expiresIn: auth.expiresSeconds,
      signableHeaders,
      // Signed x-amz-* headers stay headers, where the client signed them.
      unhoistableHeaders: new Set(auth.signedHeaders.filter((name) => name.startsWith('x-amz-'))),
    });
    expected = presigned.query?.[QUERY_AUTH.signature] as string | undefined;
  }
  if (expected === undefined || !constantTimeEqual(auth.signature, expected)) throw signatureMismatch();
}
