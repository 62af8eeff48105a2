// Reading a report.json back (to re-render or compare it): parse, check the format version,
// validate against the published schema, and say precisely what is wrong when it does not hold.
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPORT_FORMAT_VERSION, type Report } from './model.ts';

const REPORT_SCHEMA_URL = new URL('../../schemas/report.schema.json', import.meta.url);

export type ReportInputErrorCode = 'not-found' | 'not-json' | 'wrong-version' | 'schema';

export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  readonly code: ReportInputErrorCode;
  constructor(code: ReportInputErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Schema violations of a parsed report as `/scenarios/3/outcome: must be equal to one of the allowed values`; empty when valid. */
export async function reportSchemaErrors(value: unknown): Promise<string[]> {
  const schema = JSON.parse(await readFile(REPORT_SCHEMA_URL, 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
    return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
  });
}

export async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ReportInputError('not-found', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportInputError('not-json', `${path}: not JSON (${(error as Error).message})`);
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== REPORT_FORMAT_VERSION) {
    throw new ReportInputError('wrong-version', `${path}: report format version ${JSON.stringify(version)}; this keyloop reads version ${REPORT_FORMAT_VERSION}`);
  }
  const errors = await reportSchemaErrors(value);
  if (errors.length > 0) {
    const shown = errors.slice(0, 5).join('; ');
    throw new ReportInputError('schema', `${path}: does not match schemas/report.schema.json: ${shown}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`);
  }
  return value as Report;
}
