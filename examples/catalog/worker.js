// The background worker: confirms enrollments as they arrive (LISTEN/NOTIFY), and any it missed at start.
const { Client } = require("pg");

(async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const confirm = async () => {
    const { rowCount } = await client.query("UPDATE enrollments SET confirmed = true WHERE NOT confirmed");
    if (rowCount) console.log(`confirmed ${rowCount} enrollment(s)`);
  };
  client.on("notification", () => void confirm());
  await client.query("LISTEN enrollments");
  await confirm();
  console.log("worker started");
  process.on("SIGTERM", () => void client.end().then(() => process.exit(0)));
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
