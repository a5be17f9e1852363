// Network for allowed hosts only. Inside the sandbox there is no network but loopback; when the person allows hosts
// (--allow-host, patchpilot.sandbox.allowHosts), commands reach them through this HTTP proxy, which runs in
// Patchpilot's process (outside the sandbox) and forwards only to allowed hosts: CONNECT for HTTPS (the host is
// judged before any byte is relayed; TLS stays end to end) and absolute-URI requests for plain HTTP.
//
// On Linux it listens on a Unix socket in the task's temp folder, the one path that reaches out of the network
// namespace; a small bridge inside the sandbox (BRIDGE_SOURCE) offers it on loopback TCP and sets HTTP(S)_PROXY.
// Most tools honour those variables (curl, npm, pip, git, Python requests, Go); Node's built-in fetch does not.
import * as http from 'node:http';
import * as net from 'node:net';
import { hostAllowed } from './policy';

export interface ProxyDecision {
  host: string;
  port: number;
  allowed: boolean;
}

export class HostProxy {
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly allowHosts: readonly string[], private readonly onDecision?: (decision: ProxyDecision) => void) {
    this.server = http.createServer((request, response) => this.forwardPlain(request, response));
    this.server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => this.tunnel(request, client, head));
    this.server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on a Unix socket path (Linux) or on a loopback port when `where` is a number (0: any free port). */
  static async start(where: string | number, allowHosts: readonly string[], onDecision?: (decision: ProxyDecision) => void): Promise<HostProxy> {
    const proxy = new HostProxy(allowHosts, onDecision);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      if (typeof where === 'number') proxy.server.listen(where, '127.0.0.1', () => resolve());
      else proxy.server.listen(where, () => resolve());
    });
    return proxy;
  }

  /** The loopback port when listening on TCP. */
  get port(): number | null {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : null;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private judge(host: string, port: number): boolean {
    const allowed = hostAllowed(host, this.allowHosts);
    this.onDecision?.({ host, port, allowed });
    return allowed;
  }

  private tunnel(request: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    const { host, port } = splitHostPort(request.url ?? '', 443);
    client.on('error', () => undefined);
    if (!host || !this.judge(host, port)) {
      client.end(refusal(host));
      return;
    }
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (error) => client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\nPatchpilot proxy: ${host}:${port}: ${error.message}\n`));
  }

  private forwardPlain(request: http.IncomingMessage, response: http.ServerResponse): void {
    let target: URL;
    try {
      target = new URL(request.url ?? '');
    } catch {
      response.writeHead(400, { 'Content-Type': 'text/plain' }).end('Patchpilot proxy: only absolute http:// URLs are proxied.\n');
      return;
    }
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    if (target.protocol !== 'http:' || !this.judge(target.hostname, port)) {
      response.writeHead(403, { 'Content-Type': 'text/plain' }).end(refusalText(target.hostname));
      return;
    }
    const upstream = http.request({ host: target.hostname, port, path: `${target.pathname}${target.search}`, method: request.method, headers: request.headers }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' });
      response.end(`Patchpilot proxy: ${target.host}: ${error.message}\n`);
    });
    request.pipe(upstream);
  }
}

function splitHostPort(authority: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(authority);
  if (!match) return { host: '', port: defaultPort };
  return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
}

function refusalText(host: string): string {
  return `Patchpilot sandbox: the host '${host}' is not among the allowed hosts, so the connection was refused. ` +
    'To allow it, pass --allow-host ' + (host || 'HOST') + ' (CLI) or add it to patchpilot.sandbox.allowHosts (VS Code).\n';
}

function refusal(host: string): string {
  const body = refusalText(host);
  return `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Runs inside the sandbox, in front of the command: offers the proxy's Unix socket on a loopback port, points the
 * usual proxy variables at it, runs the command and exits with its status. argv: [socketPath, '--', ...command].
 */
export const BRIDGE_SOURCE = String.raw`
const net = require('node:net');
const { spawn } = require('node:child_process');
const [socketPath, separator, ...command] = process.argv.slice(1);
if (separator !== '--' || command.length === 0) { process.stderr.write('patchpilot bridge: bad arguments\n'); process.exit(2); }
const server = net.createServer((client) => {
  const upstream = net.connect(socketPath);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.pipe(upstream).pipe(client);
});
server.listen(0, '127.0.0.1', () => {
  const proxy = 'http://127.0.0.1:' + server.address().port;
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'npm_config_proxy', 'npm_config_https_proxy']) env[name] = proxy;
  env.NO_PROXY = env.no_proxy = 'localhost,127.0.0.1,::1';
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  child.on('error', (error) => { process.stderr.write('Could not start the command: ' + error.message + '\n'); process.exit(127); });
  child.on('exit', (code, signal) => process.exit(code === null ? 128 + (require('node:os').constants.signals[signal] || 1) : code));
});
`;
