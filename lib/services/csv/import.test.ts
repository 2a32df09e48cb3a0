import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leadImports, leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { makeTenant } from "@/test/factories";
import { autoMapping, previewImport, runImport, startImport } from "./import";
import { csvLines } from "./export";

afterAll(() => closeDb());

describe("CSV import", () => {
  it("maps Russian and English headers, and our own export's columns", () => {
    expect(autoMapping(["ФИО", "E-mail", "Тел.", "Организация", "Комментарий", "Бюджет", ""])).toEqual(["name", "email", "phone", "company", "message", "custom", ""]);
    expect(autoMapping(["ID", "Создана", "Статус", "Имя", "Почта", "Телефон"])).toEqual(["", "", "", "name", "email", "phone"]);
  });

  it("imports rows through the intake rules: new leads, joins to existing ones, a report of bad rows", async () => {
    const t = await makeTenant("import");
    await withTenant(t.tenantId, (tx) => tx.insert(leads).values({ tenantId: t.tenantId, channel: "web", name: "Уже есть", email: "old@example.ru", emailNorm: "old@example.ru" }));
    const rows = [
      ["Имя", "Почта", "Телефон", "Комментарий", "Бюджет"],
      ["Иван «Петров»", "ivan@example.ru", "8 (916) 555-01-02", 'Сказал: "нужен сайт",\nсрочно', "300 000"],
      ["Повтор", "OLD@example.ru", "", "ещё раз", ""],
      ["Без контактов", "", "", "", ""],
      ["Плохая почта", "not-an-email", "", "", ""],
      ["=HYPERLINK()", "", "+7 921 000-00-01", "", ""],
    ];
    const preview = await withTenant(t.tenantId, (tx) => previewImport(tx, t.tenantId, t.ownerUserId, "leads.csv", `\uFEFF${csvLines(rows)}`));
    expect(preview.total).toBe(5);
    expect(preview.mapping).toEqual(["name", "email", "phone", "message", "custom"]);
    await expect(withTenant(t.tenantId, (tx) => startImport(tx, t.tenantId, preview.id, ["name", "", "", "message", "custom"]))).rejects.toMatchObject({ code: "validation_error" });
    await withTenant(t.tenantId, (tx) => startImport(tx, t.tenantId, preview.id, preview.mapping));
    await runImport(t.tenantId, preview.id);
    const [imp] = await withTenant(t.tenantId, (tx) => tx.select().from(leadImports).where(eq(leadImports.id, preview.id)));
    expect(imp).toMatchObject({ status: "done", total: 5, processed: 5, created: 2, joined: 1, failed: 2 });
    expect(imp!.errors.map((e) => e.row)).toEqual([4, 5]);
    expect(imp!.errors[1]!.issues[0]!.path).toBe("email");
    const all = await withTenant(t.tenantId, (tx) => tx.select().from(leads));
    const ivan = all.find((l) => l.email === "ivan@example.ru")!;
    expect(ivan).toMatchObject({ channel: "import", phone: "+79165550102", message: 'Сказал: "нужен сайт",\nсрочно', customFields: { Бюджет: "300 000" } });
    // Our export's formula guard (a leading apostrophe) is undone: the phone parses, the text is text.
    expect(all.find((l) => l.phone === "+79210000001")!.name).toBe("=HYPERLINK()");
    expect(all.find((l) => l.email === "old@example.ru")!.submissions).toBe(2);
    await expect(withTenant(t.tenantId, (tx) => startImport(tx, t.tenantId, preview.id, preview.mapping))).rejects.toMatchObject({ code: "conflict" });
  });

  it("refuses a file with no rows, and text Postgres cannot store", async () => {
    const t = await makeTenant("import-bad");
    await expect(withTenant(t.tenantId, (tx) => previewImport(tx, t.tenantId, t.ownerUserId, "x.csv", "Имя,Почта\n"))).rejects.toMatchObject({ code: "validation_error" });
    await expect(withTenant(t.tenantId, (tx) => previewImport(tx, t.tenantId, t.ownerUserId, "x.csv", "Имя,Почта\nA\u0000,a@example.ru\n"))).rejects.toMatchObject({ code: "validation_error" });
    await expect(withTenant(t.tenantId, (tx) => previewImport(tx, t.tenantId, t.ownerUserId, "x.csv", 'Имя,Почта\n"незакрытая,a@example.ru\n'))).rejects.toMatchObject({ code: "validation_error" });
  });
});
