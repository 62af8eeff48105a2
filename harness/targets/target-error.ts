// A target that cannot be opened as asked: bad --token text, no such key, several keys to choose from.
export class TargetError extends Error {
  override readonly name = 'TargetError';
}
