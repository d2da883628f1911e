/** The last `max` lines of a stream of output chunks, for run records and error messages. */
export class LogTail {
  private lines: string[] = [];
  private partial = "";
  constructor(private readonly max: number) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines = this.lines.slice(-this.max);
  }
  result(): string[] {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-this.max);
  }
}
