// The prompt a person sees when a physical key waits for a touch: what for, and a countdown
// on a terminal (one line otherwise, so logs stay readable).
import pc from 'picocolors';

export function touchPrompt(stream: NodeJS.WriteStream = process.stderr) {
  return (scenario: string, operation: string, timeoutMs: number): (() => void) => {
    const what = `touch the key now (${operation} in ${scenario})`;
    if (!stream.isTTY) {
      stream.write(`${what}, waiting up to ${Math.round(timeoutMs / 1000)} s\n`);
      return () => undefined;
    }
    const deadline = Date.now() + timeoutMs;
    const draw = () => stream.write(`\r${pc.bold(pc.yellow(`  ${what}: ${Math.max(0, Math.ceil((deadline - Date.now()) / 1000))} s `))}`);
    draw();
    const timer = setInterval(draw, 1000);
    return () => {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    };
  };
}
