// AWS SDK failures as data for reports: the service's error code (e.g. NoSuchEntity) and message,
// or the failure's name when the request never got an answer (no credentials, no network).

export interface AwsErrorInfo {
  code: string;
  message: string;
}

export function awsError(error: unknown): AwsErrorInfo {
  if (!(error instanceof Error)) return { code: 'Error', message: String(error) };
  const code = (error as { Code?: unknown }).Code;
  return { code: typeof code === 'string' ? code : error.name.replace(/Exception$/, ''), message: error.message };
}

export const isNoSuchEntity = (error: unknown): boolean => awsError(error).code === 'NoSuchEntity';

export function describeAwsError(error: unknown): string {
  const { code, message } = awsError(error);
  return message ? `${code}: ${message}` : code;
}
