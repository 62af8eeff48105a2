// Identity-based policy documents for fuzzing: generated from the policy grammar (Version, Id,
// Statement as object or list; Effect; Action or NotAction and Resource or NotResource as string,
// list or something else; Condition operators, keys and values, valid and not), the workshop
// policy (fixtures/policies) with one element dropped, retyped or replaced, and documents sized
// to either side of IAM's quotas; each written out compact, pretty, with duplicate keys, a BOM,
// escapes, padding or broken JSON.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

export type Serialization = 'compact' | 'pretty' | 'tabs' | 'escaped' | 'duplicate-key' | 'bom' | 'trailing-garbage' | 'truncated' | 'single-quoted';

export interface PolicyDocumentInput {
  /** The document as a JSON value; `sized` documents are made to a size instead. */
  document: unknown;
  serialization: Serialization;
  /** Whitespace added after the opening brace: IAM's quotas do not count it. */
  padding: number;
}

export const WORKSHOP_POLICY: unknown = JSON.parse(readFileSync(new URL('../../fixtures/policies/workshop-mfa.json', import.meta.url), 'utf8'));

const ACTIONS = [
  '*', 'iam:*', 'iam:Get*', 'iam:List*', 'iam:GetUser', 'IAM:getuser', 'iam:Get?ser', 'iam:ListMFADevices', 'iam:ListUsers', 'iam:*User*', 'iam:ListPolicies',
  'sts:GetCallerIdentity', 's3:GetObject', 'iam:Delete*',
];
/** Not actions AWS accepts, or not for certain. */
const ODD_ACTIONS = ['iam', 'iam:', ':GetUser', 'iam:Get:User', 'i am:GetUser', '', 'iam:Get User', 'iam:Get-User', ' iam:GetUser', 'iam:ÄUser'];
const RESOURCES = [
  '*', '*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::123456789012:user/*', 'arn:aws:iam::123456789012:user/pd-subject', 'arn:aws:s3:::bucket/*',
  'arn:aws:iam::*:mfa/*', 'arn:aws-cn:iam::*:user/*', 'arn:aws:iam::*:user/café', 'arn:aws:iam::*:user/${aws:username', 'arn:aws:iam::*:user/${}',
  'arn:aws:iam::*:user/${aws:CurrentTime}', 'arn:aws:iam::*:user/(', 'arn:aws:iam::*:user/[a-z]*', 'arn:aws:iam::123456789012:user/?d-*',
];
const ODD_RESOURCES = ['user/x', 'arn:aws:iam', 'arn:foo:iam::1:user/x', 'arn:aws::::', '', 'arn:aws:iam::123456789012', 'arn:*:iam::*:user/*', 'arn:aws:s3:::€'];
const OPERATORS = [
  'StringEquals', 'StringLike', 'Bool', 'BoolIfExists', 'NumericLessThan', 'DateGreaterThan', 'IpAddress', 'NotIpAddress', 'ArnLike', 'Null',
  'ForAnyValue:StringEquals', 'ForAllValues:StringLike', 'StringNotEqualsIgnoreCase', 'BinaryEquals', 'DateLessThanEquals', 'NumericEqualsIfExists',
];
const ODD_OPERATORS = ['StringEqualz', 'ForAnyValue:Null', 'Foo:StringEquals', '', 'stringequals', 'NullIfExists'];
const CONDITION_KEYS = ['aws:MultiFactorAuthPresent', 'aws:username', 'aws:SourceIp', 'aws:CurrentTime', 'aws:MultiFactorAuthAge', 'aws:PrincipalTag/team', 'iam:PolicyARN', 'aws:SecureTransport'];
const ODD_CONDITION_KEYS = ['username', 'aws:', ':x'];
const SCALARS: unknown[] = ['true', 'false', true, 1, -1.5, '10.0.0.0/8', '127.0.0.1', 'not-an-ip', '2020-01-01T00:00:00Z', 'pd-subject', '*', '', 'eA==', '${aws:username}'];

/** Mostly from `usual`, now and then from `odd`: most documents get past one mistake to the next stage. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ weight: 30, arbitrary: usual }, { weight: 1, arbitrary: odd });
/** Values of the wrong shape for any element. */
const misfit = fc.constantFrom<unknown>(null, 7, true, {}, [], [[]], { a: 1 });

const pool = (usual: readonly string[], odd: readonly string[]): fc.Arbitrary<unknown> => mostly<unknown>(fc.constantFrom(...usual), fc.oneof(fc.constantFrom(...odd), misfit));
const stringOrList = (usual: readonly string[], odd: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(pool(usual, odd), fc.array(pool(usual, odd), { minLength: 1, maxLength: 3 }));

const scalar = fc.constantFrom(...SCALARS);
const conditionBlock = fc.dictionary(
  mostly(fc.constantFrom(...CONDITION_KEYS), fc.constantFrom(...ODD_CONDITION_KEYS)),
  mostly<unknown>(fc.oneof(scalar, fc.array(scalar, { minLength: 1, maxLength: 2 })), misfit),
  { minKeys: 1, maxKeys: 2 },
);
const condition: fc.Arbitrary<unknown> = mostly<unknown>(
  fc.dictionary(mostly(fc.constantFrom(...OPERATORS), fc.constantFrom(...ODD_OPERATORS)), mostly<unknown>(conditionBlock, misfit), { minKeys: 1, maxKeys: 2 }),
  misfit,
);

/** An optional element: absent about half the time. */
const optional = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(value, { nil: undefined });
/** A mistake that is usually not made. */
const rarely = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

const statement: fc.Arbitrary<unknown> = fc
  .record({
    Sid: optional(mostly<unknown>(fc.constantFrom('', 'Allow1', 'Same'), fc.oneof(fc.constantFrom('not ok', 'ünï'), misfit))),
    Effect: mostly<unknown>(fc.constantFrom('Allow', 'Deny'), fc.oneof(fc.constantFrom('allow', 'DENY', ''), misfit)),
    actionKey: mostly(fc.constantFrom('Action', 'Action', 'NotAction'), fc.constantFrom('both', 'neither')),
    action: stringOrList(ACTIONS, ODD_ACTIONS),
    resourceKey: mostly(fc.constantFrom('Resource', 'Resource', 'Resource', 'NotResource'), fc.constantFrom('both', 'neither')),
    resource: stringOrList(RESOURCES, ODD_RESOURCES),
    Condition: optional(condition),
    extra: rarely(fc.constantFrom('Principal', 'Colour')),
  })
  .map(({ actionKey, action, resourceKey, resource, extra, ...rest }) => {
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    if (actionKey === 'both') Object.assign(out, { Action: action, NotAction: action });
    else if (actionKey !== 'neither') out[actionKey] = action;
    if (resourceKey === 'both') Object.assign(out, { Resource: resource, NotResource: resource });
    else if (resourceKey !== 'neither') out[resourceKey] = resource;
    if (extra === 'Principal') out.Principal = { AWS: '*' };
    else if (extra) out[extra] = 'red';
    return out;
  });

/** A document from the grammar, most of it well formed. */
const grammarDocument: fc.Arbitrary<unknown> = fc
  .record({
    Version: optional(mostly<unknown>(fc.constantFrom('2012-10-17', '2012-10-17', '2008-10-17'), fc.oneof(fc.constantFrom('2012-10-18', '', '2012-10-17 '), misfit))),
    Id: rarely(mostly<unknown>(fc.constantFrom('doc-1', ''), misfit)),
    Statement: mostly<unknown>(fc.oneof(fc.array(statement, { minLength: 1, maxLength: 3 }), statement), fc.oneof(fc.constant([]), misfit)),
    Extra: rarely(fc.constant('x')),
  })
  .map((document) => Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined)));

/** Allow and Deny statements on Resource "*" without conditions: decisions the oracle can work out. */
const simpleDocument: fc.Arbitrary<unknown> = fc
  .array(
    fc.record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      key: fc.constantFrom('Action', 'Action', 'NotAction'),
      actions: fc.oneof(fc.constantFrom(...ACTIONS), fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 })),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((statements) => ({ Version: '2012-10-17', Statement: statements.map(({ Effect, key, actions }) => ({ Effect, [key]: actions, Resource: '*' })) }));

type Path = Array<string | number>;

/** Every path to an element of `value`, the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(child, path)];
  });
}

const WORKSHOP_PATHS = pathsOf(WORKSHOP_POLICY);

function edited(document: unknown, path: Path, edit: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  edit(parent, path[path.length - 1]);
  return copy;
}

/** Names an element of the workshop policy may be renamed to: other elements, operators, keys. */
const NAMES = [...OPERATORS, ...ODD_OPERATORS, ...CONDITION_KEYS, ...ODD_CONDITION_KEYS, 'Action', 'NotAction', 'NotResource', 'Principal', 'Sid', 'Id', 'Effect'];

/** The workshop policy with one element dropped, replaced, renamed, put in a list or nested deeper. */
const workshopMutation: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(WORKSHOP_POLICY) },
  {
    weight: 6,
    arbitrary: fc
      .record({
        path: fc.constantFrom(...WORKSHOP_PATHS),
        how: fc.constantFrom('drop', 'replace', 'rename', 'wrap', 'deepen'),
        value: fc.oneof(misfit, scalar, fc.constantFrom(...ACTIONS, ...ODD_ACTIONS, ...RESOURCES, ...ODD_RESOURCES)),
        name: fc.constantFrom(...NAMES),
      })
      .map(({ path, how, value, name }) =>
        edited(WORKSHOP_POLICY, path, (parent, key) => {
          if (how === 'drop' || (how === 'rename' && !Array.isArray(parent))) {
            const kept = parent[key];
            if (Array.isArray(parent)) parent.splice(Number(key), 1);
            else delete parent[key];
            if (how === 'rename') parent[name] = kept;
          } else if (how === 'replace') parent[key] = value;
          else if (how === 'wrap') parent[key] = [parent[key]];
          else parent[key] = { [String(key)]: parent[key] };
        }),
      ),
  },
);

/**
 * Arrays nested deep in a Condition value: rejected, without breaking anything. (Pretty-printed,
 * 400 levels are 320,000 characters of indentation.)
 */
const deepDocument = fc.integer({ min: 10, max: 400 }).map((depth) => ({
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:username': JSON.parse(`${'['.repeat(depth)}"x"${']'.repeat(depth)}`) as unknown } } },
}));

/** One Allow statement whose Sid pads the document to `size` characters that count toward the quotas. */
export function sizedDocument(size: number): unknown {
  const base = { Version: '2012-10-17', Statement: [{ Sid: 'S', Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] };
  const baseSize = JSON.stringify(base).length;
  return { ...base, Statement: [{ ...base.Statement[0], Sid: `S${'x'.repeat(Math.max(0, size - baseSize))}` }] };
}

/** Sizes either side of the inline user quota (2,048) and the managed quota (6,144). */
const QUOTA_SIZES = [2047, 2048, 2049, 6143, 6144, 6145];
/** Past the quotas and either side of the member's length limit, 131,072 characters (slow: rarer). */
const LONG_SIZES = [20000, 131072, 131073];

export const policyDocumentInput: fc.Arbitrary<PolicyDocumentInput> = fc.record({
  document: fc.oneof(
    { weight: 12, arbitrary: grammarDocument },
    { weight: 6, arbitrary: simpleDocument },
    { weight: 8, arbitrary: workshopMutation },
    { weight: 4, arbitrary: fc.constantFrom(...QUOTA_SIZES).map(sizedDocument) },
    { weight: 1, arbitrary: fc.constantFrom(...LONG_SIZES).map(sizedDocument) },
    { weight: 1, arbitrary: deepDocument },
  ),
  serialization: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<Serialization>('compact', 'pretty', 'tabs') },
    { weight: 2, arbitrary: fc.constantFrom<Serialization>('escaped', 'duplicate-key', 'bom', 'trailing-garbage', 'truncated', 'single-quoted') },
  ),
  padding: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 100, 5000) }),
});

/** The document's text as sent. */
export function documentText({ document, serialization, padding }: PolicyDocumentInput): string {
  const compact = JSON.stringify(document) ?? 'null';
  let text: string;
  switch (serialization) {
    case 'compact':
      text = compact;
      break;
    case 'pretty':
      text = JSON.stringify(document, null, 4);
      break;
    case 'tabs':
      text = JSON.stringify(document, null, '\t').replace(/\n/g, '\r\n');
      break;
    case 'escaped':
      // The same JSON value: letters in strings as \u escapes.
      text = compact.replace(/"([A-Za-z]+)"/g, (_, word: string) => `"\\u${word.charCodeAt(0).toString(16).padStart(4, '0')}${word.slice(1)}"`);
      break;
    case 'duplicate-key':
      text = compact.replace('"Effect":', '"Effect":"Deny","Effect":');
      break;
    case 'bom':
      text = `\uFEFF${compact}`;
      break;
    case 'trailing-garbage':
      text = `${compact} }`;
      break;
    case 'truncated':
      text = compact.slice(0, -1);
      break;
    case 'single-quoted':
      text = compact.replace(/"/g, "'");
      break;
  }
  return padding > 0 && text.startsWith('{') ? `{${' \n'.repeat(padding).slice(0, padding)}${text.slice(1)}` : text;
}

/** What the serialization does to the document's acceptability, whatever the document. */
export function serializationEffect(serialization: Serialization): 'same' | 'unparsable' | 'unknown' {
  if (serialization === 'trailing-garbage' || serialization === 'truncated' || serialization === 'single-quoted') return 'unparsable';
  // AWS does not say whether a repeated key is an error or the last one wins.
  return serialization === 'duplicate-key' ? 'unknown' : 'same';
}
