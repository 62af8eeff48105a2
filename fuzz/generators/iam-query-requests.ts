// IAM and STS Query API requests for fuzzing: a valid call from iam-query-calls.ts, sent by the
// root user or a read-only IAM user, as a POST form body or a GET query string, with one mutation
// of its members (dropped, repeated, extra, wrong type, too long, list gaps, bad Action or Version)
// or of its bytes (broken percent escapes, non-UTF-8, truncation, random bytes, a body over the
// size limit). Each request says which answers it may get, so the target can check them.
import fc from 'fast-check';
import { findAction, SERVICES } from '../../emulator/iam/actions/table.ts';
import type { MemberRule } from '../../emulator/iam/validation.ts';
import { ACTION_ENTRIES, entryOf, validCall, type Members, type QueryCall } from './iam-query-calls.ts';

export type QueryCaller = 'root' | 'reader';

export type MemberMutation =
  | { kind: 'none' }
  /** Every field of one member (`Tags` takes its `Tags.member.N.*` along). */
  | { kind: 'drop'; member: number }
  | { kind: 'repeat'; field: number; value: string }
  | { kind: 'extra'; name: string; value: string }
  /** An integer or boolean member's value replaced by something that is neither. */
  | { kind: 'wrong-type'; value: string }
  /** A string member longer than its rule's maximum. */
  | { kind: 'oversize'; by: number }
  /** List members renumbered: from 0, with a gap, or with leading zeros. */
  | { kind: 'list-numbering'; style: 'from-zero' | 'gap' | 'leading-zero' }
  | { kind: 'action'; action: string | undefined }
  | { kind: 'version'; version: string | undefined };

export type ByteMutation =
  | { kind: 'none' }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'truncate'; at: number }
  /** Padding to just over the endpoint's body limit. */
  | { kind: 'huge' }
  | { kind: 'random'; bytes: Uint8Array };

export interface QueryRequestInput {
  caller: QueryCaller;
  transport: 'post' | 'get';
  call: QueryCall;
  members: MemberMutation;
  bytes: ByteMutation;
}

/** The body limit the endpoint is started with (its default, 1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const rule = (call: QueryCall, name: string): MemberRule | undefined => entryOf(call).params[name];
const memberOf = (field: string): string => field.split('.')[0];
const isDigitField = (name: string, call: QueryCall): boolean => ['integer', 'boolean'].includes(rule(call, name)?.kind ?? '');
const isBoundedString = (name: string, call: QueryCall): boolean => {
  const r = rule(call, name);
  return r?.kind === 'string' && r.max !== undefined && r.enum === undefined;
};

const BAD_PERCENT = ['%', '%Z', '%ZZ', '%E2%82', '%C0%80', '%00', '%FF', '%%', '+%2'].map((text) => Buffer.from(text));
const BAD_BYTES = [[0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x26, 0x3d, 0x26]].map((b) => Uint8Array.from(b));

const memberMutation = (call: QueryCall): fc.Arbitrary<MemberMutation> => {
  const names = [...new Set(call.members.map(([field]) => memberOf(field)))];
  // Unmutated calls reach the handlers and build the state the others meet.
  const options: Array<fc.Arbitrary<MemberMutation>> = [
    fc.constant({ kind: 'none' }),
    fc.constant({ kind: 'none' }),
    fc.constant({ kind: 'none' }),
    fc.record({ kind: fc.constant('extra'), name: fc.constantFrom('Padding', 'UserName', 'Action.1', 'Version ', 'X-Amz-Date', 'member.1'), value: fc.string({ maxLength: 8 }) }),
    fc.record({ kind: fc.constant('action'), action: fc.constantFrom(undefined, '', 'LaunchRocket', 'createuser', 'CreateUser ', ' ListUsers', 'GetCallerIdentity', 'ListUsers', 'CreateUser', '%41ction') }),
    fc.record({ kind: fc.constant('version'), version: fc.constantFrom(undefined, '', '2010-05-08', '2011-06-15', '2010-5-8', '2099-01-01', '2010-05-08 ') }),
  ];
  if (names.length > 0) {
    options.push(fc.record({ kind: fc.constant('drop'), member: fc.nat(names.length - 1) }));
    options.push(fc.record({ kind: fc.constant('repeat'), field: fc.nat(call.members.length - 1), value: fc.constantFrom('', 'x', 'ann', '0', 'v1') }));
  }
  if (call.members.some(([field]) => isDigitField(field, call))) {
    options.push(fc.record({ kind: fc.constant('wrong-type'), value: fc.constantFrom('', 'abc', '1.5', '1e3', '0x10', ' 1', '99999999999999999', 'True', 'yes', '1') }));
  }
  if (call.members.some(([field]) => isBoundedString(field, call))) {
    options.push(fc.record({ kind: fc.constant('oversize'), by: fc.constantFrom(1, 2, 1000) }));
  }
  if (call.members.some(([field]) => field.includes('.member.'))) {
    options.push(fc.record({ kind: fc.constant('list-numbering'), style: fc.constantFrom('from-zero', 'gap', 'leading-zero') }));
  }
  return fc.oneof(...options);
};

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(200), bytes: fc.constantFrom(...BAD_PERCENT, ...BAD_BYTES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(200) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 64 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
);

export const queryRequestInput: fc.Arbitrary<QueryRequestInput> = fc
  .record({ caller: fc.constantFrom<QueryCaller>('root', 'reader'), entry: fc.constantFrom(...ACTION_ENTRIES) })
  .chain(({ caller, entry }) =>
    validCall(entry, { withUserName: caller === 'root' }).chain((call) =>
      fc.record({
        caller: fc.constant(caller),
        transport: fc.constantFrom<'post' | 'get'>('post', 'post', 'get'),
        call: fc.constant(call),
        members: memberMutation(call),
        bytes: byteMutation,
      }).map(sendableAsGet),
    ),
  );

/** A URL longer than this is refused by HTTP servers' header limits before any Query API. */
const MAX_GET_QUERY = 8 * 1024;

/** GET carries no body, so no byte mutation; a query string too long for a URL goes as POST. */
function sendableAsGet(input: QueryRequestInput): QueryRequestInput {
  if (input.transport !== 'get') return input;
  if (new URLSearchParams(mutatedPairs(input)).toString().length > MAX_GET_QUERY) return { ...input, transport: 'post' };
  return { ...input, bytes: { kind: 'none' } };
}

function renumber(field: string, style: 'from-zero' | 'gap' | 'leading-zero'): string {
  return field.replace(/\.member\.(\d+)/g, (_, n: string) => {
    const i = Number(n);
    const next = style === 'from-zero' ? i - 1 : style === 'gap' ? (i === 1 ? 1 : i + 1) : `0${i}`;
    return `.member.${next}`;
  });
}

/** The Action and Version sent, and the members after the member mutation. */
export function mutatedPairs({ call, members: mutation }: Pick<QueryRequestInput, 'call' | 'members'>): Members {
  const entry = entryOf(call);
  let members: Members = call.members.map(([name, value]) => [name, value]);
  let action: string | undefined = entry.name;
  let version: string | undefined = SERVICES[entry.service].version;
  switch (mutation.kind) {
    case 'drop': {
      const names = [...new Set(members.map(([field]) => memberOf(field)))];
      members = members.filter(([field]) => memberOf(field) !== names[mutation.member]);
      break;
    }
    case 'repeat':
      members.splice(mutation.field + 1, 0, [members[mutation.field][0], mutation.value]);
      break;
    case 'extra':
      members.push([mutation.name, mutation.value]);
      break;
    case 'wrong-type':
      members = members.map(([name, value]) => [name, isDigitField(name, call) ? mutation.value : value]);
      break;
    case 'oversize':
      members = members.map(([name, value]) => {
        const r = rule(call, name);
        return [name, r?.kind === 'string' && isBoundedString(name, call) ? 'a'.repeat(r.max! + mutation.by) : value];
      });
      break;
    case 'list-numbering':
      members = members.map(([name, value]) => [renumber(name, mutation.style), value]);
      break;
    case 'action':
      action = mutation.action;
      break;
    case 'version':
      version = mutation.version;
      break;
  }
  return [...(action === undefined ? [] : [['Action', action] as [string, string]]), ...(version === undefined ? [] : [['Version', version] as [string, string]]), ...members];
}

/** The form encoding of the pairs, then the byte mutation. */
export function encodedBody(pairs: Members, mutation: ByteMutation): Buffer {
  const form = Buffer.from(new URLSearchParams(pairs).toString());
  switch (mutation.kind) {
    case 'none':
      return form;
    case 'insert': {
      const at = Math.min(mutation.at, form.length);
      return Buffer.concat([form.subarray(0, at), mutation.bytes, form.subarray(at)]);
    }
    case 'truncate':
      return form.subarray(0, Math.min(mutation.at, form.length));
    case 'huge':
      return Buffer.concat([form, Buffer.from('&Padding='), Buffer.alloc(MAX_BODY_BYTES - form.length, 'x')]);
    case 'random':
      return Buffer.from(mutation.bytes);
  }
}

/** What a request may be answered with: error codes, or `200` for success. */
export interface Expectation {
  /** When given, the answer is one of these. */
  only?: readonly string[];
  /** The answer is none of these. */
  never?: readonly string[];
  /** Why, for the finding's message. */
  because: string;
}

const ROUTING_AND_AUTH = ['MissingAction', 'InvalidAction', 'IncompleteSignature', 'SignatureDoesNotMatch', 'MissingAuthenticationToken', 'InvalidClientTokenId', 'RequestEntityTooLarge'];

/** What the endpoint may answer to this request: AWS's stage order decides which error comes first. */
export function expectationOf(input: QueryRequestInput): Expectation {
  const { call, members, bytes, caller } = input;
  const entry = entryOf(call);
  if (bytes.kind === 'huge') return { only: ['RequestEntityTooLarge'], because: 'the body is over the limit' };
  if (bytes.kind !== 'none') return { because: 'bytes mutated: any documented answer' };
  switch (members.kind) {
    case 'action':
      if (members.action === undefined || members.action === '') return { only: ['MissingAction'], because: 'no Action' };
      if (members.action === entry.name) break;
      if (findAction(entry.service, members.action)) return { never: ['MissingAction'], because: `another ${entry.service} action` };
      return { only: ['InvalidAction'], because: `no ${entry.service} action ${JSON.stringify(members.action)}` };
    case 'version':
      if (members.version !== undefined && members.version !== SERVICES[entry.service].version) return { only: ['InvalidAction'], because: `version ${members.version}` };
      break;
    case 'drop': {
      const dropped = [...new Set(call.members.map(([field]) => memberOf(field)))][members.member];
      if (rule(call, dropped)?.required) return { only: ['ValidationError'], because: `required member ${dropped} dropped` };
      return { never: ROUTING_AND_AUTH, because: 'an optional member dropped' };
    }
    case 'wrong-type':
      // 1 is an integer, maybe out of the member's range, and not a boolean.
      if (members.value === '1') return { never: ROUTING_AND_AUTH, because: 'a plain integer' };
      return { only: ['ValidationError'], because: `integer or boolean member set to ${JSON.stringify(members.value)}` };
    case 'oversize':
      return { only: ['ValidationError'], because: 'a member longer than its maximum' };
    case 'none':
      break;
    default:
      return { never: ROUTING_AND_AUTH, because: `${members.kind}: still routed and signed` };
  }
  // A valid call: it passes routing, authentication and validation.
  const never = [...ROUTING_AND_AUTH, 'ValidationError'];
  if (caller === 'reader' && entry.service === 'iam' && entry.resource !== null) {
    if (entry.mutates) return { only: ['AccessDenied'], because: 'a write by a read-only user' };
    return { never: [...never, 'AccessDenied'], because: 'a read by a read-only user' };
  }
  return { never, because: 'a valid call' };
}
