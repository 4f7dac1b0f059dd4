// accounts: users and tokens. Registered clients introspect users' tokens.
const express = require("express");
const pool = require("./db");

const app = express();
app.use(express.json());

app.get("/healthz", async (_req, res) => {
  await pool.query("SELECT 1");
  res.send("ok");
});

app.get("/users/count", async (_req, res) => {
  const { rows } = await pool.query("SELECT count(*)::int AS count FROM users");
  res.json(rows[0]);
});

// RFC 7662-style introspection: the client authenticates with its own credentials (HTTP Basic).
app.post("/introspect", async (req, res) => {
  const [clientId, secret] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
    .toString()
    .split(":");
  const client = await pool.query("SELECT 1 FROM clients WHERE client_id = $1 AND client_secret = $2", [
    clientId,
    secret,
  ]);
  if (client.rowCount === 0) return res.status(401).json({ error: "unknown client" });
  const user = await pool.query("SELECT email, name FROM users WHERE token = $1", [req.body?.token ?? ""]);
  res.json(user.rowCount ? { active: true, ...user.rows[0] } : { active: false });
});

app.listen(Number(process.env.PORT), "127.0.0.1", () =>
  console.log(`accounts listening on ${process.env.PORT}`),
);
