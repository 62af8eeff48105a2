// XML bodies of the AWS Query protocol (IAM API Reference, "Making Query Requests": responses are
// `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`, lists are `<member>`
// elements, maps are `<entry><key/><value/></entry>`, timestamps ISO 8601, blobs base64).
import type { IamError } from './errors.ts';

export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | ReadonlyMap<string, string>
  | XmlObject
  | readonly XmlValue[]
  | undefined
  | null;

export interface XmlObject {
  readonly [name: string]: XmlValue;
}

// XML 1.0 cannot carry these even escaped; they become U+FFFD so a document always parses.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPECIAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlEscape(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD').replace(XML_SPECIAL, (c) => ENTITIES[c]);
}

/** AWS timestamps: ISO 8601 in UTC, whole seconds. */
export function awsTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function scalarText(value: string | number | boolean | Date | Uint8Array): string {
  if (value instanceof Date) return awsTimestamp(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return xmlEscape(String(value));
}

function valueXml(value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${valueXml(item)}</member>`).join('');
  if (value instanceof Map) {
    let out = '';
    for (const [key, entry] of value) out += `<entry><key>${xmlEscape(key)}</key><value>${xmlEscape(entry)}</value></entry>`;
    return out;
  }
  if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return objectXml(value as XmlObject);
  }
  return scalarText(value as string | number | boolean | Date | Uint8Array);
}

/** Elements for each defined field of `fields`, in insertion order. */
export function objectXml(fields: XmlObject): string {
  let out = '';
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    out += `<${name}>${valueXml(value)}</${name}>`;
  }
  return out;
}

export interface SuccessXmlOptions {
  /** The operation name, e.g. `ListMFADevices`. */
  action: string;
  /** The service's XML namespace. */
  namespace: string;
  /** Fields of `<ActionResult>`; `undefined` for actions that return nothing. */
  result: XmlObject | undefined;
  requestId: string;
}

export function successXml({ action, namespace, result, requestId }: SuccessXmlOptions): string {
  const body = result === undefined ? '' : `<${action}Result>${objectXml(result)}</${action}Result>`;
  return (
    `<${action}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function errorXml({ namespace, error, requestId }: { namespace: string; error: IamError; requestId: string }): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type><Code>${error.code}</Code>` +
    `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
