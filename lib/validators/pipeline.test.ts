import { describe, expect, it } from "vitest";
import { STAGE_KEY_RE, stageKeyFrom, uniqueStageKey, ZBitrixStatusId, ZStageCreate } from "./pipeline";

describe("stage keys from labels", () => {
  it("transliterates Russian to latin", () => {
    expect(stageKeyFrom("Переговоры")).toBe("peregovory");
    expect(stageKeyFrom("Счёт выставлен")).toBe("schet_vystavlen");
    expect(stageKeyFrom("Жду ответа — щедрый клиент")).toBe("zhdu_otveta_shchedryy_klient");
    expect(stageKeyFrom("Объявление")).toBe("obyavlenie");
    expect(stageKeyFrom("Café déjà vu")).toBe("cafe_deja_vu");
  });

  it("always matches the key pattern, however odd the label", () => {
    for (const label of ["1 этап", "Я", "!!!", "🙂", "x", "_a_", "Очень длинное название этапа воронки продаж для проверки", "42"]) {
      const key = stageKeyFrom(label);
      expect(key, label).toMatch(STAGE_KEY_RE);
    }
    expect(stageKeyFrom("1 этап")).toBe("stage_1_etap");
    expect(stageKeyFrom("🙂")).toBe("stage");
  });

  it("dedupes with a numeric suffix, staying within 40 characters", () => {
    expect(uniqueStageKey("Новая", new Set(["new"]))).toBe("novaya");
    expect(uniqueStageKey("New", new Set(["new"]))).toBe("new_2");
    expect(uniqueStageKey("New", new Set(["new", "new_2"]))).toBe("new_3");
    const long = "а".repeat(60);
    const key = uniqueStageKey(long, new Set([stageKeyFrom(long)]));
    expect(key).toMatch(STAGE_KEY_RE);
    expect(key.endsWith("_2")).toBe(true);
  });
});

describe("pipeline schemas", () => {
  it("upper-cases a Bitrix24 STATUS_ID and refuses anything else", () => {
    expect(ZBitrixStatusId.parse(" uc_1a:new ")).toBe("UC_1A:NEW");
    expect(ZBitrixStatusId.safeParse("IN PROCESS").success).toBe(false);
    expect(ZBitrixStatusId.safeParse("").success).toBe(false);
  });

  it("a new stage needs a Russian label; the English one may be empty", () => {
    expect(ZStageCreate.parse({ labels: { ru: " Переговоры ", en: "" } })).toEqual({ labels: { ru: "Переговоры" }, color: "gray" });
    expect(ZStageCreate.safeParse({ labels: { ru: "  " } }).success).toBe(false);
  });
});
