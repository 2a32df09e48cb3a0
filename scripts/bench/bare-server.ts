// Baseline (c) of bench:intake: a bare node:http server doing one INSERT of the same payload
// through postgres.js. What "one database write per request" costs without any framework.
import http from "node:http";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const port = Number(process.argv[2]);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    sql`insert into bench_bare_leads (payload) values (${sql.json(payload as never)}) returning id`.then(
      ([row]) => {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: row!.id, duplicate: false }));
      },
      () => res.writeHead(503).end(),
    );
  });
});
server.listen(port, "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => server.close(() => void sql.end().then(() => process.exit(0))));
