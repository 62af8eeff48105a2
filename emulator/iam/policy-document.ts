// Validation of identity-based policy documents on write (IAM User Guide, "IAM JSON policy
// elements reference" and "Grammar of the IAM JSON policy language"). A bad document is a
// MalformedPolicyDocument whose message says what is wrong and where; messages reuse AWS's
// wording where AWS has a fixed one ("Policy statement must contain actions.", …).
import { IamError } from './errors.ts';

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', '*']);
const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
];
const OPERATOR = new RegExp(`^(ForAllValues:|ForAnyValue:)?(${BASE_OPERATORS.join('|')})(IfExists)?$|^Null$`, 'i');
const VENDOR_MESSAGE = 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';

const malformed = (message: string): IamError => new IamError('MalformedPolicyDocument', message);
const syntax = (detail: string): IamError => malformed(`Syntax errors in policy. ${detail}`);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string or a list of strings, as Action, Resource and their Not- forms are. */
function stringList(value: unknown, element: string, where: string): string[] {
  const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (values === undefined || values.length === 0 || values.some((v) => typeof v !== 'string')) {
    throw syntax(`${element} in ${where} must be a string or a non-empty array of strings.`);
  }
  return values as string[];
}

function checkAction(action: string, where: string): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) throw malformed(VENDOR_MESSAGE);
  const vendor = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (!/^[A-Za-z0-9-]+$/.test(vendor)) throw malformed(`Vendor ${vendor} is not valid in action '${action}' in ${where}.`);
  if (!/^[A-Za-z0-9*?]+$/.test(name)) throw malformed(`Action '${action}' in ${where} is not valid: an action name has only letters, digits, * and ?.`);
}

function checkResource(resource: string): void {
  if (resource === '*') return;
  const parts = resource.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) throw malformed(`Resource ${resource} must be in ARN format or "*".`);
  if (!PARTITIONS.has(parts[1])) throw malformed(`Partition "${parts[1]}" is not valid for resource "${resource}".`);
  if (parts[2] === '') throw malformed(`Resource ${resource} must be in ARN format or "*": the service is empty.`);
}

function checkCondition(condition: unknown, where: string): void {
  if (!isObject(condition)) throw syntax(`Condition in ${where} must be a JSON object of condition operators.`);
  for (const [operator, block] of Object.entries(condition)) {
    if (!OPERATOR.test(operator)) throw syntax(`Unsupported condition operator '${operator}' in ${where}.`);
    if (!isObject(block)) throw syntax(`Condition operator '${operator}' in ${where} must map condition keys to values.`);
    for (const [key, value] of Object.entries(block)) {
      if (!/^[A-Za-z0-9-]+:/.test(key)) throw malformed(VENDOR_MESSAGE);
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => !['string', 'number', 'boolean'].includes(typeof v))) {
        throw syntax(`Values of condition key '${key}' in ${where} must be strings, numbers or booleans.`);
      }
    }
  }
}

/**
 * Parses and checks an identity-based policy; returns the parsed document. Throws
 * MalformedPolicyDocument naming the first problem found.
 */
export function parsePolicyDocument(text: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw syntax(`The document is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isObject(document)) throw syntax('The policy document must be a JSON object.');
  for (const key of Object.keys(document)) {
    if (!TOP_LEVEL.has(key)) throw syntax(`Unknown element '${key}' at the top level; a policy has Version, Id and Statement.`);
  }
  if (document.Version !== undefined && !(typeof document.Version === 'string' && VERSIONS.has(document.Version))) {
    throw malformed(`The policy Version ${JSON.stringify(document.Version)} is not valid; use "2012-10-17".`);
  }
  // The policy evaluator refuses any other Id, which would make every call under the policy fail.
  if (document.Id !== undefined && typeof document.Id !== 'string') throw syntax(`The policy Id ${JSON.stringify(document.Id)} is not valid: an Id is a string.`);
  if (document.Statement === undefined) throw malformed('Missing required field Statement');
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (statements.length === 0) throw malformed('Missing required field Statement');
  const sids = new Set<string>();
  statements.forEach((statement: unknown, i) => {
    const where = `statement ${i + 1}`;
    if (!isObject(statement)) throw syntax(`${where[0].toUpperCase()}${where.slice(1)} must be a JSON object.`);
    for (const key of Object.keys(statement)) {
      if (!STATEMENT.has(key)) throw syntax(`Unknown element '${key}' in ${where}.`);
    }
    if ('Principal' in statement || 'NotPrincipal' in statement) throw malformed('Policy document should not specify a principal.');
    if (statement.Sid !== undefined) {
      if (typeof statement.Sid !== 'string' || !/^[0-9A-Za-z]*$/.test(statement.Sid)) {
        throw malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
      }
      if (statement.Sid !== '' && sids.has(statement.Sid)) throw malformed('Statement IDs (SID) in a single policy must be unique.');
      sids.add(statement.Sid);
    }
    if (statement.Effect === undefined) throw malformed(`Missing required field Effect in ${where}.`);
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      throw malformed(`Invalid effect ${JSON.stringify(statement.Effect)} in ${where}: Effect is "Allow" or "Deny".`);
    }
    if ('Action' in statement && 'NotAction' in statement) throw syntax(`${where} has both Action and NotAction; a statement has one of them.`);
    if (!('Action' in statement) && !('NotAction' in statement)) throw malformed('Policy statement must contain actions.');
    const actionElement = 'Action' in statement ? 'Action' : 'NotAction';
    for (const action of stringList(statement[actionElement], actionElement, where)) checkAction(action, where);
    if ('Resource' in statement && 'NotResource' in statement) throw syntax(`${where} has both Resource and NotResource; a statement has one of them.`);
    if (!('Resource' in statement) && !('NotResource' in statement)) throw malformed('Policy statement must contain resources.');
    const resourceElement = 'Resource' in statement ? 'Resource' : 'NotResource';
    for (const resource of stringList(statement[resourceElement], resourceElement, where)) checkResource(resource);
    if (statement.Condition !== undefined) checkCondition(statement.Condition, where);
  });
  return document;
}

/** The size IAM's policy quotas count: characters other than whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}
