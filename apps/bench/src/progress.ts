/** A progress bar on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export class ProgressBar {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastLine = 0;
  private lastFraction = -1;
  constructor(private readonly label: string) {}

  update(fraction: number, message = ''): void {
    const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
    const now = Date.now();
    const width = 24;
    const filled = Math.round(f * width);
    const text = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${message}`;
    if (this.tty) {
      process.stderr.write(`\r${text.slice(0, (process.stderr.columns ?? 120) - 1).padEnd(Math.min(process.stderr.columns ?? 120, 120) - 1)}`);
    } else if (now - this.lastLine > 5000 || (f === 1 && this.lastFraction !== 1)) {
      process.stderr.write(`${text}\n`);
      this.lastLine = now;
    }
    this.lastFraction = f;
  }

  done(message: string): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${this.label} ${message}\n`);
  }
}
