// Flag value parsers shared by the keyloop subcommands: each throws commander's
// InvalidArgumentError with what was expected, so the user sees one clear line.
import { InvalidArgumentError } from 'commander';
import { parsePresencePolicy, type PresencePolicy } from '../../emulator/token/presence.ts';

export function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new InvalidArgumentError('expected a port number 0..65535 (0 picks a free one)');
  return number;
}

/** A port, or `off` (false: commander turns a parser's null into '') to disable that listener. */
export function portOrOff(value: string): number | false {
  return value === 'off' ? false : port(value);
}

export function count(max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > max) throw new InvalidArgumentError(`expected a whole number 1..${max}`);
    return number;
  };
}

export function presence(value: string): PresencePolicy {
  try {
    return parsePresencePolicy(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
