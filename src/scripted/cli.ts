// `patchpilot scripted-server --script FILE [--port N] [--host H] [--quiet]`: serve a script until the process is stopped.
import { startScriptedServer, type ScriptedServer } from './server';

interface ScriptedServerArgs {
  script: string;
  port: number;
  host: string;
  quiet: boolean;
}

const USAGE = 'usage: patchpilot scripted-server --script FILE [--port N] [--host HOST] [--quiet]';

function parseArgs(argv: string[]): ScriptedServerArgs | string {
  const args: Partial<ScriptedServerArgs> = { port: 0, host: '127.0.0.1', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--quiet') {
      args.quiet = true;
      continue;
    }
    if (flag !== '--script' && flag !== '--port' && flag !== '--host') return `unknown argument ${JSON.stringify(flag)}`;
    if (value === undefined) return `${flag} needs a value`;
    i++;
    if (flag === '--script') args.script = value;
    else if (flag === '--host') args.host = value;
    else {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port must be a port number, got ${JSON.stringify(value)}`;
      args.port = port;
    }
  }
  if (!args.script) return '--script FILE is required';
  return args as ScriptedServerArgs;
}

/**
 * Starts the server, prints its base URL on stdout and resolves with an exit code once SIGINT/SIGTERM stop it
 * (2 for bad arguments or an invalid script, before anything is served).
 */
export async function runScriptedServerCommand(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`patchpilot scripted-server: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  let server: ScriptedServer;
  try {
    const log = parsed.quiet ? undefined : (line: string): void => void process.stderr.write(`${line}\n`);
    server = await startScriptedServer(parsed.script, { port: parsed.port, host: parsed.host, log });
  } catch (error) {
    process.stderr.write(`patchpilot scripted-server: ${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`${server.url}\n`);
  if (!parsed.quiet) process.stderr.write(`scripted model: serving ${server.remainingTurns()} turns from ${parsed.script}; stop with Ctrl+C\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  if (!parsed.quiet) process.stderr.write(`scripted model: stopped with ${server.remainingTurns()} turns unused\n`);
  return 0;
}
