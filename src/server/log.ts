// Redis-style log lines: "pid:M 25 Nov 2026 13:20:31.123 * message".

const LEVELS = ["debug", "verbose", "notice", "warning"] as const;
export type LogLevel = (typeof LEVELS)[number];
const MARKS: Record<LogLevel, string> = { debug: ".", verbose: "-", notice: "*", warning: "#" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export class Logger {
  level: LogLevel = "notice";
  /** Where lines go; stdout by default, a file when logfile is set. */
  sink: (line: string) => void = (line) => {
    if (typeof process !== "undefined" && process.stdout) process.stdout.write(line);
    else console.log(line.trimEnd());
  };
  role = "M";

  log(level: LogLevel, msg: string): void {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(this.level)) return;
    const d = new Date();
    const p2 = (n: number) => String(n).padStart(2, "0");
    const stamp = `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(
      d.getMinutes(),
    )}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
    const pid = typeof process !== "undefined" ? process.pid : 0;
    this.sink(`${pid}:${this.role} ${stamp} ${MARKS[level]} ${msg}\n`);
  }

  notice(msg: string): void {
    this.log("notice", msg);
  }

  warning(msg: string): void {
    this.log("warning", msg);
  }

  verbose(msg: string): void {
    this.log("verbose", msg);
  }
}

export const logger = new Logger();
