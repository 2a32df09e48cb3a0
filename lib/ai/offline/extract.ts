// Rule-based extraction for the offline model: the facts a salesperson looks for first — money,
// deadline, urgency, website, contacts in the text, city, the preferred channel. Deterministic;
// a date without a year is the next such date after the lead arrived.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";

export type Money = { amount: number; currency: "RUB" | "USD" | "EUR"; text: string };
export type Deadline = { text: string; date: string | null };
export type Facts = {
  budget: Money | null;
  deadline: Deadline | null;
  urgency: "high" | "normal";
  website: string | null;
  emails: string[];
  phones: string[];
  city: string | null;
  preferredChannel: "telegram" | "whatsapp" | "phone" | "email" | null;
};

const NUM = String.raw`(\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[.,]\d+)?)`;
// (\b is ASCII-only in JavaScript: after a Cyrillic letter, "no letter follows" is spelled out.)
const MULT = String.raw`(тыс(?:яч[аи]?)?\.?|т\.?\s?р\.?|тр(?!\p{L})|к(?!\p{L})|k(?!\p{L})|млн\.?|миллион(?:а|ов)?|m(?!\p{L})|mln)?`;
const CUR = String.raw`(₽|руб(?:\.|лей|ля|ль)?|р\.|rub|\$|usd|долл(?:\.|аров|ара)?|€|eur|евро)?`;
const MONEY_AFTER = new RegExp(String.raw`(?:^|[^\p{L}\d])${NUM}\s?${MULT}\s?${CUR}`, "giu");
const MONEY_BEFORE = new RegExp(String.raw`(\$|€|₽)\s?${NUM}\s?${MULT}`, "giu");
const BUDGET_WORD = /(бюджет|budget|стоимост|цена|price|готовы потратить|рассчитываем|до\s)/i;

function toNumber(s: string): number {
  return Number(s.replace(/[ \u00a0]/g, "").replace(",", "."));
}

function multiplier(m: string | undefined): number {
  if (!m) return 1;
  const x = m.toLowerCase();
  if (/^(млн|миллион|m|mln)/.test(x)) return 1_000_000;
  return 1_000;
}

function currency(c: string | undefined, text: string): Money["currency"] | null {
  const x = (c ?? "").toLowerCase();
  if (x === "$" || x.startsWith("usd") || x.startsWith("долл")) return "USD";
  if (x === "€" || x.startsWith("eur") || x.startsWith("евро")) return "EUR";
  if (x) return "RUB";
  return /[а-яё]/i.test(text) ? "RUB" : null;
}

/** The largest plausible amount named near a money word or with a currency or a multiplier. */
export function extractBudget(text: string): Money | null {
  const found: Money[] = [];
  for (const m of text.matchAll(MONEY_AFTER)) {
    const [whole, num, mult, cur] = m as unknown as [string, string, string | undefined, string | undefined];
    const start = m.index ?? 0;
    const context = text.slice(Math.max(0, start - 40), start + whole.length);
    if (!mult && !cur && !BUDGET_WORD.test(context)) continue;
    // Years, dates and phone pieces are not budgets.
    const value = toNumber(num) * multiplier(mult);
    if (!mult && !cur && value < 1000) continue;
    if (/^(19|20)\d\d$/.test(num) && !mult && !cur) continue;
    const c = currency(cur, context);
    if (!c || !Number.isFinite(value) || value <= 0) continue;
    found.push({ amount: Math.round(value), currency: c, text: whole.trim() });
  }
  for (const m of text.matchAll(MONEY_BEFORE)) {
    const [whole, sym, num, mult] = m as unknown as [string, string, string, string | undefined];
    const value = toNumber(num) * multiplier(mult);
    const c = currency(sym, whole);
    if (c && Number.isFinite(value) && value > 0) found.push({ amount: Math.round(value), currency: c, text: whole.trim() });
  }
  if (!found.length) return null;
  return found.sort((a, b) => b.amount - a.amount)[0]!;
}

const MONTHS_RU = ["январ", "феврал", "март", "апрел", "ма[йя]", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"];
const MONTHS_EN = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function nextDate(day: number, month: number, year: number | null, after: Date): string | null {
  if (day < 1 || day > 31 || month < 0 || month > 11) return null;
  let y = year ?? after.getUTCFullYear();
  let d = new Date(Date.UTC(y, month, day));
  if (d.getUTCMonth() !== month) return null;
  if (year === null && d.getTime() < after.getTime() - 86_400_000) d = new Date(Date.UTC(++y, month, day));
  return d.toISOString().slice(0, 10);
}

function endOfMonth(after: Date): string {
  return new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** "до 1 марта", "к 15.04", "к концу месяца", "через 2 недели", "by March 1", "ASAP"… */
export function extractDeadline(text: string, now = new Date()): Deadline | null {
  const t = text.toLowerCase();
  let m = t.match(new RegExp(String.raw`(?:до|к|не позднее|deadline[:\s]*|срок[:\s]*)\s*(\d{1,2})\s+(${MONTHS_RU.join("|")})[а-я]*\s*(\d{4})?`, "u"));
  if (m) {
    const month = MONTHS_RU.findIndex((re) => new RegExp(`^${re}`).test(m![2]!));
    return { text: m[0].trim(), date: nextDate(Number(m[1]), month, m[3] ? Number(m[3]) : null, now) };
  }
  m = t.match(/(?:до|к|by|before|deadline[:\s]*)\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?/);
  if (m) {
    const year = m[3] ? (m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])) : null;
    return { text: m[0].trim(), date: nextDate(Number(m[1]), Number(m[2]) - 1, year, now) };
  }
  m = t.match(new RegExp(String.raw`(?:by|before|until|deadline[:\s]*)\s*(${MONTHS_EN.join("|")})[a-z]*\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?`));
  if (m) {
    const month = MONTHS_EN.indexOf(m[1]!.slice(0, 3));
    return { text: m[0].trim(), date: nextDate(Number(m[2]), month, m[3] ? Number(m[3]) : null, now) };
  }
  if ((m = t.match(/к концу (?:этого )?месяца|до конца (?:этого )?месяца|by the end of (?:the|this) month|end of (?:the|this) month/))) return { text: m[0], date: endOfMonth(now) };
  if ((m = t.match(/к нов(?:ому|ым) год|до нового года|by new year/))) return { text: m[0], date: nextDate(31, 11, null, now) };
  m = t.match(/(?:через|за|в течение|within|in)\s+(\d+|одн[уа]|одной|две|два|двух|три|трех|трёх|пару|one|two|three|a couple of)\s+(недел|нед(?!\p{L})|дн|week|day|месяц|month)[a-zа-я]*/u);
  if (m) {
    const words: Record<string, number> = { одну: 1, одна: 1, одной: 1, два: 2, две: 2, двух: 2, три: 3, трех: 3, трёх: 3, пару: 2, one: 1, two: 2, three: 3, "a couple of": 2 };
    const n = Number(m[1]) || words[m[1]!] || 1;
    const unit = m[2]!;
    const days = /недел|нед|week/.test(unit) ? 7 * n : /месяц|month/.test(unit) ? 30 * n : n;
    return { text: m[0].trim(), date: new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10) };
  }
  if ((m = t.match(/срочно|asap|как можно скорее|горит|вчера нужно|urgent/))) return { text: m[0], date: null };
  return null;
}

const CITIES: [RegExp, string][] = [
  [/москв|мск\b/i, "Москва"],
  [/санкт-петербург|петербург|спб\b|питер/i, "Санкт-Петербург"],
  [/новосибирск/i, "Новосибирск"],
  [/екатеринбург|екб\b/i, "Екатеринбург"],
  [/казан/i, "Казань"],
  [/нижн(?:ий|ем|его) новгород/i, "Нижний Новгород"],
  [/челябинск/i, "Челябинск"],
  [/самар/i, "Самара"],
  [/омск/i, "Омск"],
  [/ростов/i, "Ростов-на-Дону"],
  [/уф[аеы]\b/i, "Уфа"],
  [/красноярск/i, "Красноярск"],
  [/воронеж/i, "Воронеж"],
  [/перм[ьи]/i, "Пермь"],
  [/волгоград/i, "Волгоград"],
  [/краснодар/i, "Краснодар"],
  [/сочи\b/i, "Сочи"],
  [/тюмен/i, "Тюмень"],
  [/калининград/i, "Калининград"],
  [/владивосток/i, "Владивосток"],
  [/минск/i, "Минск"],
  [/алматы|алма-ат/i, "Алматы"],
  [/\bmoscow\b/i, "Москва"],
  [/\b(st\.? )?petersburg\b/i, "Санкт-Петербург"],
];

const URL_RE = /\b(?:https?:\/\/)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:ru|рф|com|net|org|io|su|by|kz|shop|store|online|site|pro|biz|info))(?:\/[^\s<>"')]*)?/giu;
const EMAIL_RE = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const PHONE_RE = /(?:\+?\d[\s\-()]*){10,14}\d?/g;

export function extractFacts(text: string, now = new Date()): Facts {
  const emails = [...new Set((text.match(EMAIL_RE) ?? []).map((e) => e.toLowerCase()))];
  const withoutEmails = text.replace(EMAIL_RE, " ");
  const websites = [...withoutEmails.matchAll(URL_RE)].map((m) => m[0].replace(/[.,;:!?]+$/, ""));
  const phones = [
    ...new Set(
      (text.match(PHONE_RE) ?? [])
        .map((p) => parsePhoneNumberFromString(p.trim(), "RU"))
        .filter((p) => p?.isValid())
        .map((p) => p!.number as string),
    ),
  ];
  const t = text.toLowerCase();
  const preferredChannel = /телеграм|telegram|\btg\b|тг\b/.test(t)
    ? "telegram"
    : /whats ?app|ватсап|вотсап|вацап/.test(t)
      ? "whatsapp"
      : /перезвон|позвон|звонок|call me|call back/.test(t)
        ? "phone"
        : /на почту|по почте|e-?mail me|напишите на/.test(t)
          ? "email"
          : null;
  const deadline = extractDeadline(text, now);
  return {
    budget: extractBudget(text),
    deadline,
    urgency: /срочно|asap|как можно скорее|горит|urgent|немедленно|сегодня же/.test(t) ? "high" : "normal",
    website: websites[0] ?? null,
    emails,
    phones,
    city: CITIES.find(([re]) => re.test(text))?.[1] ?? null,
    preferredChannel,
  };
}
