// Berth's `claim` task: registers an OAuth-style client for the consumer named by BERTH_CONSUMER and
// writes its credentials to $BERTH_OUTPUT, which Berth hands to that consumer only.
const { randomBytes } = require("node:crypto");
const { appendFileSync } = require("node:fs");
const pool = require("./db");

(async () => {
  const consumer = process.env.BERTH_CONSUMER;
  const clientId = `${consumer}-client`;
  const secret = randomBytes(24).toString("base64url");
  await pool.query(
    "INSERT INTO clients (consumer, client_id, client_secret) VALUES ($1, $2, $3) ON CONFLICT (consumer) DO UPDATE SET client_secret = EXCLUDED.client_secret",
    [consumer, clientId, secret],
  );
  appendFileSync(process.env.BERTH_OUTPUT, `client_id=${clientId}\nclient_secret=${secret}\n`);
  console.log(`registered client ${clientId}`);
  await pool.end();
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
