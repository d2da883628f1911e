import { runCli } from "./cli";
import { commands } from "./commands/index";

const code = await runCli(
  process.argv.slice(2),
  {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  },
  commands,
);
process.exitCode = code;
