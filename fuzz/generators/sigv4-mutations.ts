// Mutations of SigV4 signing inputs (AWS General Reference, "Signature Version 4 signing process"
// and "Elements of an AWS API request signature") for a CreateUser signed by one of several
// principals (root, users allowed and not, an inactive key, temporary credentials with and without
// MFA, expired ones): one change to the Authorization header, its credential scope, SignedHeaders
// or signature, X-Amz-Date, the headers sent, the session token, the body, or the whitespace and
// case that SigV4 canonicalization ignores; or the request presigned in its query string. Each
// input says which answer AWS gives it; sigv4-requests.ts builds the request.
import fc from 'fast-check';

export type Principal = 'root' | 'creator' | 'reader' | 'inactive' | 'session' | 'session-no-mfa' | 'session-expired';

export type SigningMutation =
  | { kind: 'none' }
  | { kind: 'algorithm'; value: string }
  | { kind: 'drop-auth-field'; field: 'Credential' | 'SignedHeaders' | 'Signature' }
  | { kind: 'authorization'; value: '' | 'absent' }
  /** Credential scope with another number of parts, or one of them empty. */
  | { kind: 'credential-shape'; credential: 'four-parts' | 'six-parts' | 'empty-part' }
  /** One scope part replaced after signing. */
  | { kind: 'credential-part'; part: 'key' | 'date' | 'region' | 'service' | 'terminator'; value: string }
  /** Signed again with another region or service in the scope: a valid signature for that scope. */
  | { kind: 'scope'; region: string; service: string }
  /** Signed again leaving a header out of SignedHeaders. */
  | { kind: 'unsigned-header'; name: 'host' | 'x-amz-date' | 'content-type' }
  /** Signed again with one more header, sent and signed. */
  | { kind: 'extra-signed-header'; name: string; value: string }
  /** The SignedHeaders list changed after signing. */
  | { kind: 'signed-headers'; edit: 'uppercase' | 'reversed' | 'phantom' | 'repeated' | 'empty' }
  | { kind: 'signature'; edit: 'truncate' | 'extend' | 'uppercase' | 'flip' | 'non-hex' | 'empty' }
  /** X-Amz-Date replaced after signing. */
  | { kind: 'date-header'; value: 'next-second' | 'next-day' | 'extended-format' | 'no-zone' | 'lower-case' | 'month-13' | 'epoch' }
  /** Signed in full at another time: the clock window is 15 minutes either side. */
  | { kind: 'skew'; minutes: number }
  | { kind: 'drop-header'; name: 'x-amz-date' | 'content-type' | 'x-amz-security-token' }
  | { kind: 'repeat-header'; name: 'x-amz-date' | 'authorization' | 'content-type' | 'x-amz-security-token' }
  /** Temporary credentials' token: left out, forged or another session's, signed as sent. */
  | { kind: 'token'; token: 'absent' | 'forged' | 'truncated' | 'other-session' | 'changed-after-signing' }
  | { kind: 'body'; edit: 'append' | 'rename' | 'drop-last-byte' }
  /** Changes SigV4 canonicalization ignores: the signature stays valid. */
  | { kind: 'harmless'; edit: 'inner-spaces' | 'padding' | 'header-case' | 'compact-authorization' | 'spaced-authorization' }
  /** The signature in the query string instead of the Authorization header (a GET). */
  | { kind: 'presign'; variant: 'valid' | 'expired' | 'tampered' | 'missing-signature' | 'missing-credential' | 'missing-date' };

export interface SigningInput {
  principal: Principal;
  mutation: SigningMutation;
}

const mutation: fc.Arbitrary<SigningMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('algorithm' as const), value: fc.constantFrom('AWS4-HMAC-SHA512', 'aws4-hmac-sha256', 'AWS4-ECDSA-P256-SHA256', 'AWS', '', 'AWS4-HMAC-SHA256\t') }),
  fc.record({ kind: fc.constant('drop-auth-field' as const), field: fc.constantFrom('Credential' as const, 'SignedHeaders' as const, 'Signature' as const) }),
  fc.record({ kind: fc.constant('authorization' as const), value: fc.constantFrom('' as const, 'absent' as const) }),
  fc.record({ kind: fc.constant('credential-shape' as const), credential: fc.constantFrom('four-parts' as const, 'six-parts' as const, 'empty-part' as const) }),
  fc.oneof(
    fc.record({ kind: fc.constant('credential-part' as const), part: fc.constant('key' as const), value: fc.constantFrom('AKIAUNKNOWNKEY000000', 'akiaiosfodnn7example', 'AKIAIOSFODNN7EXAMPL', '0') }),
    fc.record({ kind: fc.constant('credential-part' as const), part: fc.constant('date' as const), value: fc.constantFrom('19700101', '20991231', '2024-01-01', 'today') }),
    fc.record({ kind: fc.constant('credential-part' as const), part: fc.constant('region' as const), value: fc.constantFrom('eu-west-1', 'US-EAST-1', 'x') }),
    fc.record({ kind: fc.constant('credential-part' as const), part: fc.constant('service' as const), value: fc.constantFrom('sts', 's3', 'IAM', 'iam ') }),
    fc.record({ kind: fc.constant('credential-part' as const), part: fc.constant('terminator' as const), value: fc.constantFrom('aws4_requests', 'AWS4_REQUEST', 'aws4') }),
  ),
  fc.record({ kind: fc.constant('scope' as const), region: fc.constantFrom('us-east-1', 'eu-west-1', 'aws-global'), service: fc.constantFrom('iam', 'sts', 's3', 'IAM') }),
  fc.record({ kind: fc.constant('unsigned-header' as const), name: fc.constantFrom('host' as const, 'x-amz-date' as const, 'content-type' as const) }),
  fc.record({ kind: fc.constant('extra-signed-header' as const), name: fc.constantFrom('x-extra', 'constructor', '__proto__', 'tostring', 'x-amz-meta-a'), value: fc.constantFrom('1', '', ' a  b ', 'ü') }),
  fc.record({ kind: fc.constant('signed-headers' as const), edit: fc.constantFrom('uppercase' as const, 'reversed' as const, 'phantom' as const, 'repeated' as const, 'empty' as const) }),
  fc.record({ kind: fc.constant('signature' as const), edit: fc.constantFrom('truncate' as const, 'extend' as const, 'uppercase' as const, 'flip' as const, 'non-hex' as const, 'empty' as const) }),
  fc.record({
    kind: fc.constant('date-header' as const),
    value: fc.constantFrom('next-second' as const, 'next-day' as const, 'extended-format' as const, 'no-zone' as const, 'lower-case' as const, 'month-13' as const, 'epoch' as const),
  }),
  fc.record({ kind: fc.constant('skew' as const), minutes: fc.constantFrom(-1440, -16, -14, -1, 1, 14, 16, 1440, 525600) }),
  fc.record({ kind: fc.constant('drop-header' as const), name: fc.constantFrom('x-amz-date' as const, 'content-type' as const, 'x-amz-security-token' as const) }),
  fc.record({ kind: fc.constant('repeat-header' as const), name: fc.constantFrom('x-amz-date' as const, 'authorization' as const, 'content-type' as const, 'x-amz-security-token' as const) }),
  fc.record({ kind: fc.constant('token' as const), token: fc.constantFrom('absent' as const, 'forged' as const, 'truncated' as const, 'other-session' as const, 'changed-after-signing' as const) }),
  fc.record({ kind: fc.constant('body' as const), edit: fc.constantFrom('append' as const, 'rename' as const, 'drop-last-byte' as const) }),
  fc.record({
    kind: fc.constant('harmless' as const),
    edit: fc.constantFrom('inner-spaces' as const, 'padding' as const, 'header-case' as const, 'compact-authorization' as const, 'spaced-authorization' as const),
  }),
  fc.record({
    kind: fc.constant('presign' as const),
    variant: fc.constantFrom('valid' as const, 'valid' as const, 'expired' as const, 'tampered' as const, 'missing-signature' as const, 'missing-credential' as const, 'missing-date' as const),
  }),
);

export const signingInput: fc.Arbitrary<SigningInput> = fc.record({
  principal: fc.constantFrom<Principal>('root', 'creator', 'creator', 'reader', 'inactive', 'session', 'session', 'session-no-mfa', 'session-expired'),
  mutation,
});

const isSession = (principal: Principal): boolean => principal.startsWith('session');

/** What the principal's correctly signed CreateUser gets. */
const SIGNED_OUTCOME: Record<Principal, string> = {
  root: '200',
  creator: '200',
  session: '200',
  reader: 'AccessDenied',
  inactive: 'InvalidClientTokenId',
  // GetSessionToken's credentials reach IAM only when MFA was proven.
  'session-no-mfa': 'InvalidClientTokenId',
  'session-expired': 'ExpiredToken',
};

/**
 * The answers AWS gives this request, in the order it checks: the Authorization header's shape,
 * the scope's service and the action, the clock, the access key, the signature, the session
 * token, then the caller's policies.
 */
export function expectedAnswers({ principal, mutation: m }: SigningInput): readonly string[] {
  const signed = SIGNED_OUTCOME[principal];
  // A key that is unknown or inactive is refused before its signature is checked.
  const badSignature = principal === 'inactive' ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch';
  const session = isSession(principal);
  switch (m.kind) {
    case 'none':
    case 'harmless':
      return [signed];
    case 'algorithm':
    case 'drop-auth-field':
    case 'credential-shape':
      return ['IncompleteSignature'];
    case 'authorization':
      return ['MissingAuthenticationToken'];
    case 'credential-part':
      switch (m.part) {
        case 'key':
          return ['InvalidClientTokenId'];
        case 'date':
          return ['SignatureDoesNotMatch'];
        case 'region':
          return [badSignature];
        case 'service':
          // The service names where the request is routed: CreateUser is no STS action.
          return [m.value === 'sts' ? 'InvalidAction' : 'SignatureDoesNotMatch'];
        case 'terminator':
          return ['SignatureDoesNotMatch'];
      }
    // falls through (unreachable: every part is handled)
    case 'scope':
      if (m.service === 'sts') return ['InvalidAction'];
      if (m.service !== 'iam') return ['SignatureDoesNotMatch'];
      // IAM is global and signed for us-east-1; the mock takes the scope's region as the
      // request's aws:RequestedRegion and serves every region on one endpoint.
      return [signed];
    case 'unsigned-header':
      // "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."; a date
      // header that is sent must be signed too.
      if (m.name === 'content-type') return [signed];
      return m.name === 'host' ? ['IncompleteSignature'] : ['IncompleteSignature', 'SignatureDoesNotMatch'];
    case 'extra-signed-header':
      // Node's header object cannot hold a header called __proto__: the endpoint never sees it.
      return m.name === '__proto__' ? [signed, badSignature] : [signed];
    case 'signed-headers':
      if (m.edit === 'empty') return ['IncompleteSignature'];
      // The canonical request lists the headers as SignedHeaders gives them: AWS recomputes over
      // that list; a verifier that sorts and dedupes it first still gets the signed request.
      if (m.edit === 'reversed' || m.edit === 'repeated') return [signed, badSignature];
      // Upper-case names do not name the lower-case host a signature must cover.
      if (m.edit === 'uppercase') return ['IncompleteSignature', badSignature];
      return [badSignature];
    case 'signature':
      return m.edit === 'empty' ? ['IncompleteSignature'] : [badSignature];
    case 'date-header':
      // (At 23:59:59 the next second is another day.)
      if (m.value === 'next-second') return [badSignature, 'SignatureDoesNotMatch'];
      // A date from another day no longer matches the scope's.
      if (m.value === 'next-day' || m.value === 'epoch') return ['SignatureDoesNotMatch'];
      return ['IncompleteSignature'];
    case 'skew':
      return Math.abs(m.minutes) > 15 ? ['SignatureDoesNotMatch'] : [signed];
    case 'drop-header':
      if (m.name === 'x-amz-date') return ['IncompleteSignature'];
      if (m.name === 'x-amz-security-token' && !session) return [signed];
      return [badSignature];
    case 'repeat-header':
      // Node joins a repeated X-Amz-Date or token with ", " and keeps the first Authorization or
      // Content-Type; AWS refuses what it cannot read as one value.
      if (m.name === 'x-amz-date') return ['IncompleteSignature'];
      if (m.name === 'x-amz-security-token') return session ? [badSignature] : [signed, 'InvalidClientTokenId'];
      return [signed, 'IncompleteSignature', 'SignatureDoesNotMatch'];
    case 'token':
      if (m.token === 'changed-after-signing') return session ? ['SignatureDoesNotMatch'] : [signed, 'InvalidClientTokenId'];
      if (m.token === 'absent' && !session) return [signed];
      // A wrong token for temporary credentials, and any token with a long-term key.
      return ['InvalidClientTokenId'];
    case 'body':
      return [badSignature];
    case 'presign':
      switch (m.variant) {
        case 'valid':
          return [signed];
        case 'expired':
          // STS and IAM hold a presigned request to the same 15-minute window as a signed one.
          return ['SignatureDoesNotMatch'];
        case 'tampered':
          return [badSignature];
        default:
          return ['IncompleteSignature'];
      }
  }
}
