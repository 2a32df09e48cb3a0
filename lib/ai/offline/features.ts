// A lead → the offline model's features: the message's words (stemmed, with neighbouring pairs),
// and what the other fields say — form name, UTM tags, page path, e-mail domain kind, a phone,
// how long the message is. Field features carry a prefix so they never mix with words.
import { detectLang, plainText, tokens, type Lang } from "./text";

export type LeadInput = {
  text?: string | null;
  form?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
  pageUrl?: string | null;
};

const FREE_MAIL = new Set(["mail.ru", "bk.ru", "list.ru", "inbox.ru", "yandex.ru", "ya.ru", "yandex.com", "gmail.com", "googlemail.com", "rambler.ru", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com", "me.com", "proton.me", "protonmail.com"]);

export function emailKind(email: string | null | undefined): "free" | "corp" | "none" {
  const domain = email?.split("@")[1]?.toLowerCase();
  if (!domain) return "none";
  return FREE_MAIL.has(domain) ? "free" : "corp";
}

export function lengthBand(text: string): string {
  const n = text.length;
  return n === 0 ? "0" : n < 40 ? "xs" : n < 150 ? "s" : n < 500 ? "m" : "l";
}

const LINK = /(https?:\/\/|www\.)[^\s<>"']+/gi;

export function featuresOf(lead: LeadInput): { features: string[]; lang: Lang; text: string } {
  const text = plainText(lead.text ?? "");
  const lang = detectLang(`${text} ${lead.form ?? ""}`.trim());
  const words = tokens(text.replace(LINK, " #link "), lang);
  const f: string[] = [...words];
  // Word pairs, but not with numbers: "бюджет 400 тыс" would count the same evidence three times.
  for (let i = 0; i + 1 < words.length; i++) if (!words[i]!.startsWith("#") && !words[i + 1]!.startsWith("#")) f.push(`${words[i]}_${words[i + 1]}`);
  for (const w of tokens(lead.form ?? "", lang)) f.push(`form:${w}`);
  for (const [k, v] of [["src", lead.utm_source], ["med", lead.utm_medium]] as const) if (v) f.push(`utm_${k}:${v.toLowerCase().trim()}`);
  for (const w of tokens((lead.utm_campaign ?? "").replace(/[_\-.]+/g, " "), lang)) f.push(`camp:${w}`);
  if (lead.pageUrl) {
    try {
      for (const w of tokens(decodeURIComponent(new URL(lead.pageUrl).pathname).replace(/[/_\-.]+/g, " "), lang)) f.push(`page:${w}`);
    } catch {
      /* not a URL: no page features */
    }
  }
  f.push(`mail:${emailKind(lead.email)}`);
  if (lead.phone) f.push("phone:yes");
  if (lead.company) f.push("company:yes");
  f.push(`len:${lengthBand(text)}`);
  const links = text.match(LINK)?.length ?? 0;
  if (links) f.push(links >= 3 ? "links:many" : "links:some");
  f.push(`lang:${lang}`);
  return { features: f, lang, text };
}
