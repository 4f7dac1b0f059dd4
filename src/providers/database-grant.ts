import type { ClaimGrant, GrantRequest } from "./types.js";

export const describeDatabaseGrant = (grant: ClaimGrant) =>
  `database ${grant.database} and its user ${grant.user}`;

/** A SQL server's claim: a database and a user of the same name, with a password kept per name. */
export function databaseGrant(request: GrantRequest): ClaimGrant {
  const name = (request.database ?? request.consumer).replace(/[^a-z0-9_]/g, "_").slice(0, 48);
  return { database: name, user: name, password: request.password(name) };
}
