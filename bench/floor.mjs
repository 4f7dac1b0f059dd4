// The floor: a bare Node script that does what Berth does, in the same order, and nothing else. It is run as
// its own process, as `berth` is, so both figures include starting a Node process.
//
//   node bench/floor.mjs '<plan as JSON>'
//
// A plan is a list of stages; each stage runs its commands one after the other, starts its processes, then
// waits for every probe (tried every 5 ms). A plan may instead be a graph,
// `{ "graph": { "<id>": { ...stage, "after": ["<id>", …] } } }`: each node's stage runs once the nodes it
// comes after are ready. When the last stage is ready the script prints "ready" and keeps its processes
// running until SIGTERM, then stops them and exits.
import { spawn, spawnSync } from "node:child_process";
import { request } from "node:http";
import { connect } from "node:net";

const plan = JSON.parse(process.argv[2]);
const children = [];
const logs = [];

// Before any process starts: a SIGTERM that comes early still stops what was started.
process.on("SIGTERM", async () => {
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill("SIGTERM");
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    await new Promise((resolve) => child.once("exit", resolve));
    clearTimeout(kill);
  }
  process.exit(0);
});

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

function answersHttp(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 400);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

function answersRedis(port, auth) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write(`${auth ? `AUTH ${auth.join(" ")}\r\n` : ""}PING\r\n`),
    );
    let reply = "";
    socket.on("data", (data) => {
      reply += data.toString();
      if (auth && !reply.includes("\r\n", reply.indexOf("\r\n") + 2)) return;
      socket.destroy();
      resolve(reply.endsWith("+PONG\r\n"));
    });
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
}

function answersTcp(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

function exits0({ command, args }) {
  return new Promise((resolve) => {
    const child = spawn(command, args ?? [], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

let pg;
async function answersPostgres(url) {
  pg ??= (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function until(probe) {
  const check = () => {
    if (probe.http) return answersHttp(probe.http.port, probe.http.path);
    if (probe.redis) return answersRedis(probe.redis, probe.auth);
    if (probe.tcp) return answersTcp(probe.tcp);
    if (probe.exec) return exits0(probe.exec);
    if (probe.postgres) return answersPostgres(probe.postgres);
    if (probe.log) return Promise.resolve(new RegExp(probe.log.pattern).test(logs[probe.log.process] ?? ""));
    throw new Error(`unknown probe ${JSON.stringify(probe)}`);
  };
  while (!(await check())) await pause();
}

async function runStage(stage) {
  for (const command of stage.run ?? []) {
    const result = spawnSync(command.command, command.args ?? [], {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    if (result.status !== 0) throw new Error(`${command.command} failed: ${result.stderr}`);
  }
  for (const command of stage.start ?? []) {
    const index = children.length;
    logs[index] = "";
    const child = spawn(command.command, command.args ?? [], {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ["ignore", "pipe", "ignore"],
      ...(command.uid === undefined ? {} : { uid: command.uid, gid: command.gid }),
    });
    child.stdout.on("data", (chunk) => {
      logs[index] += chunk.toString();
    });
    children.push(child);
  }
  await Promise.all((stage.wait ?? []).map(until));
}

if (Array.isArray(plan)) for (const stage of plan) await runStage(stage);
else {
  // A graph: each node's stage runs as soon as the nodes it comes after are ready, with no barrier between levels.
  const ready = new Map();
  const run = (id) => {
    if (!ready.has(id)) {
      const node = plan.graph[id];
      ready.set(
        id,
        Promise.all((node.after ?? []).map(run)).then(() => runStage(node)),
      );
    }
    return ready.get(id);
  };
  await Promise.all(Object.keys(plan.graph).map(run));
}
process.stdout.write("ready\n");
