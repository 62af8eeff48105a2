// What an IAM or STS Query API answer must look like (IAM API Reference, "Making Query Requests"
// and "Common Errors"): a 200 `<ActionResponse>` for the action asked, or a 4xx `<ErrorResponse>`
// whose Code is one the endpoint documents, with that code's status and the request id in the
// body and in x-amzn-RequestId. Anything else is a finding, and so is every 5xx.
import { XMLValidator } from 'fast-xml-parser';
import { IAM_ERROR_STATUS, type IamErrorCode } from '../../emulator/iam/index.ts';
import type { HttpAnswer } from './iam-endpoint.ts';

export type IamAnswer = { ok: true; action: string } | { ok: false; code: IamErrorCode; status: number };

const NAMESPACE = 'https://(?:iam|sts)\\.amazonaws\\.com/doc/\\d{4}-\\d{2}-\\d{2}/';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ERROR = new RegExp(
  `^<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>(Sender|Receiver)</Type><Code>([A-Za-z]+)</Code><Message>[^<]*</Message></Error><RequestId>(${UUID})</RequestId></ErrorResponse>$`,
);

const fail = (what: string, answer: HttpAnswer): never => {
  throw new Error(`${what}: HTTP ${answer.status} ${answer.body.slice(0, 600)}`);
};

/**
 * Checks the answer's shape and returns what it says. `action` is the action the request named
 * when it could succeed; a 200 for any other action (or for none) is a finding.
 */
export function readAnswer(answer: HttpAnswer, action: string | undefined): IamAnswer {
  const requestId = answer.headers['x-amzn-requestid'];
  if (typeof requestId !== 'string' || !new RegExp(`^${UUID}$`).test(requestId)) fail('no x-amzn-RequestId header', answer);
  if (answer.headers['content-type']?.split(';')[0] !== 'text/xml') fail('content-type is not text/xml', answer);
  if (XMLValidator.validate(answer.body) !== true) fail('the body is not well-formed XML', answer);
  if (answer.status === 200) {
    if (action === undefined) fail('200 for a request that names no action the endpoint has', answer);
    const success = new RegExp(
      `^<${action}Response xmlns="${NAMESPACE}">(?:<${action}Result>[^]*</${action}Result>)?<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>$`,
    );
    if (!success.test(answer.body)) fail(`200 that is not a ${action}Response`, answer);
    return { ok: true, action: action! };
  }
  const error = ERROR.exec(answer.body) ?? fail('an error that is not AWS error XML', answer);
  const [, type, code, bodyRequestId] = error;
  if (bodyRequestId !== requestId) fail('RequestId in the body differs from x-amzn-RequestId', answer);
  if (!(code in IAM_ERROR_STATUS)) fail(`error code ${code} is not in the documented set`, answer);
  const status = IAM_ERROR_STATUS[code as IamErrorCode];
  if (answer.status !== status) fail(`${code} answered with HTTP ${answer.status}, documented ${status}`, answer);
  if (status >= 500) fail(`internal failure ${code}`, answer);
  if (type !== 'Sender') fail(`${code} is the caller's fault but Type is ${type}`, answer);
  return { ok: false, code: code as IamErrorCode, status };
}

/** The tally label of an answer: `200 CreateUser` or `403 AccessDenied`. */
export const answerLabel = (answer: IamAnswer): string => (answer.ok ? `200 ${answer.action}` : `${answer.status} ${answer.code}`);
