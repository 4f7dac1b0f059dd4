// catalog: courses. Enrolling needs a user's token, checked against accounts with the client accounts
// registered for catalog (ACCOUNTS_CLIENT_ID / _SECRET come from Berth, not from this repository).
const express = require("express");
const pool = require("./db");

const app = express();

async function userOf(req) {
  const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  const credentials = Buffer.from(
    `${process.env.ACCOUNTS_CLIENT_ID}:${process.env.ACCOUNTS_CLIENT_SECRET}`,
  ).toString("base64");
  const response = await fetch(`${process.env.ACCOUNTS_URL}/introspect`, {
    method: "POST",
    headers: { authorization: `Basic ${credentials}`, "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  const answer = await response.json();
  return answer.active ? answer : undefined;
}

app.get("/healthz", async (_req, res) => {
  await pool.query("SELECT 1");
  res.send("ok");
});

app.get("/courses", async (_req, res) => {
  const { rows } = await pool.query("SELECT id, title, level FROM courses ORDER BY id");
  res.json(rows);
});

app.post("/courses/:id/enroll", async (req, res) => {
  const user = await userOf(req);
  if (!user) return res.status(401).json({ error: "a valid token is needed" });
  const { rows } = await pool.query(
    "INSERT INTO enrollments (course_id, email) VALUES ($1, $2) RETURNING id",
    [req.params.id, user.email],
  );
  await pool.query("SELECT pg_notify('enrollments', $1)", [String(rows[0].id)]);
  res.status(202).json({ enrollment: rows[0].id, user: user.email });
});

app.get("/enrollments", async (_req, res) => {
  const { rows } = await pool.query("SELECT id, course_id, email, confirmed FROM enrollments ORDER BY id");
  res.json(rows);
});

app.listen(Number(process.env.PORT), "127.0.0.1", () =>
  console.log(`catalog listening on ${process.env.PORT}`),
);
