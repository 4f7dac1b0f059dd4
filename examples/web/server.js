// web: the front end. It lists the courses catalog serves; it knows catalog only through CATALOG_URL.
const { createServer } = require("node:http");

const html = (text) =>
  String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

createServer(async (req, res) => {
  if (req.url === "/healthz") return res.end("ok");
  try {
    const courses = await (await fetch(`${process.env.CATALOG_URL}/courses`)).json();
    const items = courses.map((course) => `    <li>${html(course.title)}</li>`).join("\n");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html>\n<html>\n<head><title>Courses</title></head>\n<body>\n  <h1>Courses</h1>\n  <ul>\n${items}\n  </ul>\n</body>\n</html>\n`,
    );
  } catch (error) {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`catalog is unreachable: ${error.message}\n`);
  }
}).listen(Number(process.env.PORT), "127.0.0.1", () =>
  console.log(`web listening on http://127.0.0.1:${process.env.PORT}`),
);
