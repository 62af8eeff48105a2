// A progress line for long waits, without a dependency: on a terminal a spinner redrawn in place,
// elsewhere (CI logs, pipes) a plain line now and then, so a log shows the wait without flooding.
import type { Clock } from './clock.ts';

export interface Progress {
  /** The current state, e.g. `waiting for the key… 9:41 left`. */
  update(text: string): void;
  /** The final line; the spinner stops. */
  done(text: string): void;
}

export interface ProgressOptions {
  /** Where it is drawn; stderr by default. A TTY gets the spinner. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  clock?: Pick<Clock, 'now'>;
  /** Without a TTY, at most one line per this many milliseconds. */
  lineEveryMs?: number;
  /** Spinner frame interval on a TTY. */
  frameMs?: number;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

export function createProgress({ stream = process.stderr, clock = performance, lineEveryMs = 15_000, frameMs = 100 }: ProgressOptions = {}): Progress {
  if (stream.isTTY) {
    let text = '';
    let frame = 0;
    let timer: NodeJS.Timeout | undefined;
    const draw = (): void => void stream.write(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${text}`);
    return {
      update(next) {
        text = next;
        timer ??= setInterval(draw, frameMs).unref();
        draw();
      },
      done(final) {
        clearInterval(timer);
        stream.write(`${CLEAR_LINE}${final}\n`);
      },
    };
  }
  let lastLine = -Infinity;
  return {
    update(text) {
      if (clock.now() - lastLine < lineEveryMs) return;
      lastLine = clock.now();
      stream.write(`${text}\n`);
    },
    done: (final) => void stream.write(`${final}\n`),
  };
}

/** Progress that shows nothing. */
export const silentProgress: Progress = { update: () => {}, done: () => {} };
