// A small HTTP server the in-host tests call: it drives the workbench with Playwright for them and collects their results.
'use strict';
const http = require('node:http');
const path = require('node:path');

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => { try { resolve(body ? JSON.parse(body) : {}); } catch (error) { reject(error); } });
    request.on('error', reject);
  });
}

function reply(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

async function startDriverServer({ scenario, artifactsDir, lap, grep, specs, attachWaitMs = 60000 }) {
  const actions = require(path.resolve(__dirname, '../../out/test/vscode/ui/actions.js'));
  const { startScriptedServer } = require(path.resolve(__dirname, '../../out/src/scripted/server.js'));
  const results = { passed: 0, failed: 0, runs: 0 };
  // Scripted model servers live here, in the runner, so they outlive a window reload of the extension host.
  const scripted = [];
  let context;
  let phase = 'start';
  // The desktop route connects to VS Code after starting it, so an early UI request waits for the window (bounded),
  // and requests made while a reload is under way wait for it to finish re-attaching.
  let attached;
  const whenAttached = new Promise((resolve) => { attached = resolve; });
  let pendingReload = Promise.resolve();
  const attachedContext = async () => {
    if (!context) {
      const limit = new Promise((resolve) => setTimeout(resolve, attachWaitMs).unref());
      await Promise.race([whenAttached, limit]);
    }
    if (!context) throw new Error('the workbench is not attached yet');
    await pendingReload;
    return context;
  };
  const handlers = {
    'GET /config': async () => ({ scenario: scenario.name, phase, grep: grep || null, specs: specs || (typeof scenario.specs === 'function' ? scenario.specs(phase) : scenario.specs), workspace: context && context.workspace }),
    'POST /result': async (body) => {
      results.passed += body.passed;
      results.failed += body.failed;
      results.runs += 1;
      return { ok: true };
    },
    'POST /scripted': async (body) => {
      const server = await startScriptedServer(body.script, { host: '127.0.0.1', log: () => undefined });
      scripted.push(server);
      return { url: server.url, index: scripted.length - 1 };
    },
    'POST /scripted/requests': async (body) => {
      const server = scripted[body.index === undefined ? scripted.length - 1 : body.index];
      if (!server) throw new Error('no scripted server started');
      return { requests: server.requests.map((r) => ({ turn: r.turn, outcome: r.outcome, attempt: r.attempt, body: r.body })), remaining: server.remainingTurns(), violations: server.violations };
    },
    'POST /ui': async (body) => {
      const current = await attachedContext();
      if (body.action === 'reloadWindow') {
        phase = body.args && body.args.phase ? body.args.phase : 'reloaded';
        lap(`reloading the window (phase ${phase})`);
        // Reply first: the extension host that asked is about to go away with the page.
        // With a folder, the window opens that folder instead (the demo: a project the extension made itself).
        const folder = body.args && typeof body.args.folder === 'string' ? body.args.folder : null;
        if (folder) {
          current.workbenchUrl = current.workbenchUrl.replace(/\?folder=[^&]*/, `?folder=${encodeURIComponent(folder)}`);
          current.workspace = folder;
        }
        setTimeout(() => {
          if (typeof current.reload === 'function' && !folder) {
            pendingReload = current.reload().catch((error) => console.error('reload failed', error));
          } else {
            current.page.goto(current.workbenchUrl).catch((error) => console.error('reload failed', error));
          }
        }, 200);
        return null;
      }
      const action = actions[body.action];
      if (typeof action !== 'function') throw new Error(`unknown UI action ${body.action}`);
      return action({ page: context.page, artifactsDir, lap, scenario: scenario.name }, body.args || {});
    },
  };
  const server = http.createServer(async (request, response) => {
    const handler = handlers[`${request.method} ${request.url}`];
    if (!handler) return reply(response, 404, { ok: false, error: 'not found' });
    try {
      const result = await handler(await readBody(request));
      reply(response, 200, { ok: true, result: result === undefined ? null : result });
    } catch (error) {
      reply(response, 200, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    attach(value) { context = value; attached(); },
    workbenchUrl: () => context.workbenchUrl,
    results: () => ({ passed: results.passed, failed: results.failed, runs: results.runs }),
    close: async () => {
      await Promise.all(scripted.map((s) => s.close().catch(() => undefined)));
      await new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    },
  };
}

module.exports = { startDriverServer };
