// A few users with API tokens, inserted idempotently.
const pool = require("./db");

const users = [
  ["ada@example.org", "Ada Lovelace", "token-ada"],
  ["alan@example.org", "Alan Turing", "token-alan"],
  ["grace@example.org", "Grace Hopper", "token-grace"],
];

(async () => {
  for (const [email, name, token] of users) {
    await pool.query(
      "INSERT INTO users (email, name, token) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING",
      [email, name, token],
    );
  }
  console.log(`seeded ${users.length} users`);
  await pool.end();
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
