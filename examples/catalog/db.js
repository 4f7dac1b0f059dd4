// One pool for the service; Berth gives DATABASE_URL (this codebase's own database and user).
const { Pool } = require("pg");

module.exports = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
