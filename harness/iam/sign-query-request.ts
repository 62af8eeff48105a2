// SigV4 (AWS Signature Version 4) for a raw Query API request, signed exactly as the AWS SDK signs
// IAM and STS calls (smithy's signer): for clients that send what the SDK would not, or faster
// than it would (tests, bench, load).
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../emulator/iam/sha256.ts';

/** The content type the SDK sends Query API forms with. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

export interface QueryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** STS session token, sent as x-amz-security-token. */
  sessionToken?: string;
}

export interface SignQueryRequestOptions {
  /** The endpoint the request goes to, e.g. `http://127.0.0.1:4566`. */
  url: string;
  credentials: QueryCredentials;
  /** The form body, signed as is. */
  body: string | Buffer;
  /** Every header to send, `host` included; all of them are signed. */
  headers: Record<string, string>;
  /** The service the signature is scoped to. */
  service?: string;
  region?: string;
  method?: string;
  signingDate?: Date;
  /** Query string parameters, signed (a GET request carries its parameters here). */
  query?: Record<string, string | string[]>;
  /** Headers to send but leave out of SignedHeaders (`host` too, for clients that sign less). */
  unsignableHeaders?: ReadonlySet<string>;
}

/** `headers` plus x-amz-date, authorization and, for session credentials, x-amz-security-token. */
export async function signQueryRequest({
  url,
  credentials,
  body,
  headers,
  service = 'iam',
  region = 'us-east-1',
  method = 'POST',
  signingDate = new Date(),
  query = {},
  unsignableHeaders,
}: SignQueryRequestOptions): Promise<Record<string, string>> {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const request = { method, protocol: 'http:', hostname, port: port === '' ? undefined : Number(port), path: '/', query, headers, body };
  const signed = await signer.sign(request, { signingDate, unsignableHeaders: unsignableHeaders && new Set(unsignableHeaders) });
  return signed.headers as Record<string, string>;
}

export type PresignQueryRequestOptions = Omit<SignQueryRequestOptions, 'body' | 'method' | 'unsignableHeaders'> & {
  /** X-Amz-Expires in seconds (IAM and STS hold presigned requests to the 15-minute window anyway). */
  expiresIn?: number;
};

/**
 * A GET request presigned in its query string (SigV4 "query string authentication": X-Amz-Algorithm,
 * X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature and, for
 * session credentials, X-Amz-Security-Token): the query parameters to send, `query` included.
 */
export async function presignQueryRequest({
  url,
  credentials,
  headers,
  service = 'iam',
  region = 'us-east-1',
  signingDate = new Date(),
  query = {},
  expiresIn = 900,
}: PresignQueryRequestOptions): Promise<Record<string, string | string[]>> {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const request = { method: 'GET', protocol: 'http:', hostname, port: port === '' ? undefined : Number(port), path: '/', query, headers };
  const presigned = await signer.presign(request, { signingDate, expiresIn });
  return presigned.query as Record<string, string | string[]>;
}
