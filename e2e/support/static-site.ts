import http from "node:http";
import type { AddressInfo } from "node:net";

/** A client's website on a second localhost origin: one page with a LeadFlow form (key set once the site exists). */
export async function startStaticSite(appUrl: string): Promise<{ origin: string; useKey: (k: string) => void; close: () => Promise<void> }> {
  let publicKey = "";
  const page = () => `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Студия «Лендинг»</title>
<script src="${appUrl}/embed.js" data-key="${publicKey}" async></script></head>
<body>
  <h1>Закажите сайт</h1>
  <form data-leadflow="Заявка с лендинга">
    <label>Имя <input name="name"></label>
    <label>Email <input name="email" type="email"></label>
    <label>Телефон <input name="phone"></label>
    <label>Сообщение <textarea name="message"></textarea></label>
    <input name="_gotcha" style="display:none" tabindex="-1" autocomplete="off">
    <button type="submit">Отправить</button>
    <p data-leadflow-success hidden>Спасибо! Мы свяжемся с вами.</p>
    <p data-leadflow-pending hidden>Нет связи — заявка сохранена и будет отправлена.</p>
    <p data-leadflow-error hidden>Ошибка</p>
  </form>
</body></html>`;
  const server = http.createServer((req, res) => {
    if ((req.url ?? "/").split("?")[0] === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page());
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    useKey: (k) => {
      publicKey = k;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
