// Thirty courses, inserted idempotently.
const pool = require("./db");

const subjects = ["Algebra", "Biology", "Chemistry", "Databases", "Economics", "French"];
const levels = ["Introduction to", "Intermediate", "Advanced", "Topics in", "Projects in"];

(async () => {
  let count = 0;
  for (const subject of subjects) {
    for (const level of levels) {
      await pool.query("INSERT INTO courses (title, level) VALUES ($1, $2) ON CONFLICT (title) DO NOTHING", [
        `${level} ${subject}`,
        level,
      ]);
      count += 1;
    }
  }
  console.log(`seeded ${count} courses`);
  await pool.end();
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
