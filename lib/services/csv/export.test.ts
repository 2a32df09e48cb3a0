import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvLines, neutraliseFormula } from "./export";

describe("CSV", () => {
  it("round-trips Russian text, quotes, commas, newlines and neutralises formula-looking cells", () => {
    const rows = [
      ["Имя", "Сообщение", "Сумма"],
      ["Иван «Петров»", 'Сказал: "нужен сайт", срочно\r\nвторая строка', "=SUM(A1:A9)"],
      ["Анна", "+7 916 123-45-67", "@import"],
      ["", "-1", "обычный текст"],
    ];
    const text = csvLines(rows);
    expect(text.endsWith("\r\n")).toBe(true);
    const back = parse(text, { relax_column_count: false }) as string[][];
    expect(back).toEqual(rows.map((r) => r.map(neutraliseFormula)));
    expect(back[1]![2]).toBe("'=SUM(A1:A9)");
    expect(back[2]![1]).toBe("'+7 916 123-45-67");
    expect(back[1]![1]).toBe('Сказал: "нужен сайт", срочно\r\nвторая строка');
    expect(neutraliseFormula("\tcmd")).toBe("'\tcmd");
    expect(neutraliseFormula("Иван")).toBe("Иван");
  });
});
