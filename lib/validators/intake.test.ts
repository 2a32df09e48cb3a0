import { describe, expect, it } from "vitest";
import { normalisePhone, splitFields, ZIntakeSchema } from "./intake";

const parse = (fields: Record<string, unknown>) => ZIntakeSchema.safeParse(splitFields(fields));

describe("intake schema", () => {
  it("normalises a Russian phone to E.164 and lower-cases the e-mail", () => {
    const r = parse({ phone: "8 (916) 123-45-67", email: " Ivan.Petrov@Mail.RU " });
    expect(r.success && r.data).toMatchObject({ phone: "+79161234567", phoneE164: "+79161234567", email: "ivan.petrov@mail.ru" });
    expect(normalisePhone("+7 916 123 45 67").e164).toBe("+79161234567");
    expect(normalisePhone("+1 (415) 555-2671").e164).toBe("+14155552671");
  });

  it("keeps a phone that does not parse as given, without a dedupe key", () => {
    const r = parse({ phone: "12345" });
    expect(r.success && r.data).toMatchObject({ phone: "12345", phoneE164: null });
  });

  it("requires email or phone and names both fields", () => {
    const r = parse({ name: "Иван" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["email", "phone"]);
  });

  it("names a bad e-mail, a bad phone and a too-long field", () => {
    const r = parse({ email: "nope", phone: "call me", name: "x".repeat(201) });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["email", "name", "phone"]);
  });

  it("turns other fields into custom fields with limits by name", () => {
    const ok = parse({ email: "a@b.ru", budget: 150000, services: ["seo", "ads"], key: "pk_x" });
    expect(ok.success && ok.data.customFields).toEqual({ budget: "150000", services: '["seo","ads"]' });
    const long = parse({ email: "a@b.ru", notes: "x".repeat(2001) });
    expect(long.error!.issues[0]!.path).toEqual(["customFields", "notes"]);
    const many = parse({ email: "a@b.ru", ...Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, "v"])) });
    expect(many.error!.issues[0]!.path).toEqual(["customFields"]);
  });

  it("reads consent as boolean, 'on' or 'true'", () => {
    for (const [v, want] of [[true, true], ["on", true], ["true", true], [undefined, false], ["false", false]] as const) {
      const r = parse({ email: "a@b.ru", consent: v });
      expect(r.success && r.data.consent, String(v)).toBe(want);
    }
    expect(parse({ email: "a@b.ru", consent: "maybe" }).success).toBe(false);
  });

  it("rejects objects where text is expected", () => {
    const r = parse({ email: { $gt: "" } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["email"]);
  });
});
