// An oracle for identity-based policy documents, written from the IAM User Guide's "Grammar of the
// IAM JSON policy language", "IAM JSON policy elements reference" and "Policy evaluation logic",
// independently of the mock's own validator: whether AWS accepts a document ('unknown' where the
// guide leaves it open), and the decision of a document simple enough to evaluate by hand.

export type Validity = 'valid' | 'invalid' | 'unknown';

/** AWS's names for the two policy language versions. */
const VERSIONS = ['2012-10-17', '2008-10-17'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The worst of several verdicts: one invalid part makes the document invalid. */
export function worst(...verdicts: Validity[]): Validity {
  if (verdicts.includes('invalid')) return 'invalid';
  return verdicts.includes('unknown') ? 'unknown' : 'valid';
}

function stringOrList(value: unknown, each: (item: string) => Validity): Validity {
  if (typeof value === 'string') return each(value);
  if (!Array.isArray(value)) return 'invalid';
  if (value.length === 0) return 'unknown';
  return worst(...value.map((item) => (typeof item === 'string' ? each(item) : 'invalid')));
}

function actionValidity(action: string): Validity {
  if (action === '*') return 'valid';
  const m = /^([^:]*):([^:]*)$/.exec(action);
  if (!m || m[1] === '' || m[2] === '') return 'invalid';
  if (!/^[A-Za-z0-9-]+$/.test(m[1])) return 'invalid';
  // Service authorization reference names are letters and digits; AWS may take more, with warnings.
  return /^[A-Za-z0-9*?]+$/.test(m[2]) ? 'valid' : 'unknown';
}

function resourceValidity(resource: string): Validity {
  if (resource === '*') return 'valid';
  const parts = resource.split(':');
  if (parts[0] !== 'arn' || parts.length < 6 || parts[2] === '') return 'invalid';
  return PARTITIONS.includes(parts[1]) ? 'valid' : parts[1] === '*' ? 'unknown' : 'invalid';
}

function conditionValidity(condition: unknown): Validity {
  if (!isObject(condition)) return 'invalid';
  const verdicts: Validity[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    const m = /^(?:(ForAllValues|ForAnyValue):)?([^:]+?)(IfExists)?$/.exec(operator);
    if (operator === 'Null') verdicts.push('valid');
    else if (m && OPERATORS.includes(m[2])) verdicts.push('valid');
    else if (m && OPERATORS.some((name) => name.toLowerCase() === m[2].toLowerCase())) verdicts.push('unknown');
    else verdicts.push(/^(ForAllValues|ForAnyValue):Null$/.test(operator) ? 'unknown' : 'invalid');
    if (!isObject(block)) {
      verdicts.push('invalid');
      continue;
    }
    for (const [key, value] of Object.entries(block)) {
      if (!/^[A-Za-z0-9-]+:/.test(key)) verdicts.push('invalid');
      const scalar = (v: unknown): Validity => (['string', 'number', 'boolean'].includes(typeof v) ? 'valid' : 'invalid');
      verdicts.push(Array.isArray(value) ? (value.length === 0 ? 'unknown' : worst(...value.map(scalar))) : scalar(value));
    }
  }
  return worst(...verdicts, Object.keys(condition).length === 0 ? 'unknown' : 'valid');
}

function statementValidity(statement: unknown, sids: Set<string>): Validity {
  if (!isObject(statement)) return 'invalid';
  const verdicts: Validity[] = [];
  if (Object.keys(statement).some((key) => !STATEMENT_KEYS.includes(key))) verdicts.push('invalid');
  if ('Sid' in statement) {
    const sid = statement.Sid;
    if (typeof sid !== 'string' || !/^[A-Za-z0-9]*$/.test(sid)) verdicts.push('invalid');
    else if (sid !== '' && sids.has(sid)) verdicts.push('invalid');
    else sids.add(sid);
  }
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') verdicts.push('invalid');
  const actions = ['Action', 'NotAction'].filter((key) => key in statement);
  const resources = ['Resource', 'NotResource'].filter((key) => key in statement);
  if (actions.length !== 1 || resources.length !== 1) return 'invalid';
  verdicts.push(stringOrList(statement[actions[0]], actionValidity), stringOrList(statement[resources[0]], resourceValidity));
  if ('Condition' in statement) verdicts.push(conditionValidity(statement.Condition));
  return worst(...verdicts);
}

/** Whether AWS accepts this parsed document as an identity-based policy. */
export function documentValidity(document: unknown): Validity {
  if (!isObject(document)) return 'invalid';
  const verdicts: Validity[] = [];
  if (Object.keys(document).some((key) => !['Version', 'Id', 'Statement'].includes(key))) verdicts.push('invalid');
  if ('Version' in document && !VERSIONS.includes(document.Version as string)) verdicts.push('invalid');
  if ('Id' in document && typeof document.Id !== 'string') verdicts.push('invalid');
  const statements = document.Statement;
  if (statements === undefined) return 'invalid';
  if (Array.isArray(statements) && statements.length === 0) verdicts.push('unknown');
  const sids = new Set<string>();
  for (const statement of [statements].flat()) verdicts.push(statementValidity(statement, sids));
  return worst(...verdicts);
}

/** The characters IAM's size quotas count: all but whitespace. */
export const quotaSize = (text: string): number => text.replace(/[ \t\n\r]/g, '').length;

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

const globMatches = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(value);

/**
 * The decision for `action` of a valid document whose statements all name Resource "*" and have
 * no Condition (undefined for any other): an explicit deny wins, then an allow, else the implicit
 * deny. Action names match without regard to case, `*` and `?` as wildcards.
 */
export function simpleDecision(document: unknown, action: string): Decision | undefined {
  if (!isObject(document)) return undefined;
  const statements = [document.Statement].flat() as Array<Record<string, unknown>>;
  if (statements.some((s) => 'Condition' in s || !('Resource' in s) || [s.Resource].flat().some((r) => r !== '*'))) return undefined;
  const applies = (s: Record<string, unknown>): boolean => {
    const listed = [s.Action ?? s.NotAction].flat() as string[];
    const matched = listed.some((pattern) => globMatches(pattern, action));
    return 'Action' in s ? matched : !matched;
  };
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return 'explicitDeny';
  return statements.some((s) => s.Effect === 'Allow' && applies(s)) ? 'allowed' : 'implicitDeny';
}
