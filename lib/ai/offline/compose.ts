// The offline model's writing: an extractive summary (who, what they ask for, the one sentence of
// theirs that says most, the facts), and a first-reply draft from templates filled with the facts.
// Plain text only; the lead's own words are quoted, never interpreted.
import type { Facts } from "./extract";
import type { Lang } from "./text";

const SERVICE: Record<Lang, Record<string, string>> = {
  ru: {
    web_development: "разработку сайта",
    web_design: "дизайн",
    advertising: "рекламу",
    seo: "SEO-продвижение",
    support: "помощь с действующим сайтом",
    partnership: "сотрудничество с агентством",
    spam: "—",
    other: "консультацию",
  },
  en: {
    web_development: "website development",
    web_design: "design work",
    advertising: "paid advertising",
    seo: "SEO",
    support: "help with their live site",
    partnership: "a partnership with the agency",
    spam: "—",
    other: "a consultation",
  },
};

const GREETING = /^(здравствуйте|добрый (день|вечер|утро)|привет|доброго времени суток|hello|hi|dear|good (morning|afternoon|evening))\b[\s,!.]*/i;

/** The message's sentences, greetings and sign-offs dropped. */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((s) => s.replace(GREETING, "").trim())
    .filter((s) => s.split(/\s+/).length >= 3 && !/^(с уважением|спасибо|best regards|regards|thanks|thank you)/i.test(s));
}

function money(f: Facts["budget"], lang: Lang): string | null {
  if (!f) return null;
  const n = new Intl.NumberFormat(lang === "ru" ? "ru-RU" : "en-US").format(f.amount);
  return f.currency === "RUB" ? `${n} ₽` : f.currency === "USD" ? `$${n}` : `€${n}`;
}

function clip(s: string, max = 180): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join("").trimEnd()}…` : s;
}

export type ComposeInput = { name?: string | null; company?: string | null; text: string; category: string; facts: Facts };

/** 2–4 sentences in `lang` (the tenant's / UI language). */
export function summarise(l: ComposeInput, lang: Lang): string {
  const who = l.name?.trim() || (lang === "ru" ? "Клиент" : "The client");
  const from = l.company?.trim() ? (lang === "ru" ? ` (${l.company.trim()})` : ` (${l.company.trim()})`) : "";
  const out: string[] = [];
  if (l.category === "spam") out.push(lang === "ru" ? "Похоже на спам: в сообщении нет запроса к агентству." : "Looks like spam: the message asks nothing of the agency.");
  else out.push(lang === "ru" ? `${who}${from} — запрос на ${SERVICE.ru[l.category] ?? SERVICE.ru.other}.` : `${who}${from} asks for ${SERVICE.en[l.category] ?? SERVICE.en.other}.`);
  const best = sentences(l.text)
    .sort((a, b) => b.length - a.length)[0]
    ?.replace(/[.!?…]+$/, "");
  if (best && l.category !== "spam") out.push(lang === "ru" ? `Пишет: «${clip(best)}».` : `In their words: “${clip(best)}”.`);
  const facts: string[] = [];
  const m = money(l.facts.budget, lang);
  if (m) facts.push(lang === "ru" ? `бюджет ${m}` : `budget ${m}`);
  if (l.facts.deadline) facts.push(lang === "ru" ? `срок: ${l.facts.deadline.text}` : `deadline: ${l.facts.deadline.text}`);
  if (l.facts.city) facts.push(lang === "ru" ? `город ${l.facts.city}` : `city ${l.facts.city}`);
  if (l.facts.website) facts.push(lang === "ru" ? `сайт ${l.facts.website}` : `site ${l.facts.website}`);
  if (facts.length) out.push(`${facts.join(", ").replace(/^./, (c) => c.toUpperCase())}.`);
  const channel = l.facts.preferredChannel;
  if (channel) {
    const ru = { telegram: "Просит связаться в Telegram.", whatsapp: "Просит связаться в WhatsApp.", phone: "Просит перезвонить.", email: "Просит ответить на почту." };
    const en = { telegram: "Prefers Telegram.", whatsapp: "Prefers WhatsApp.", phone: "Asks for a call back.", email: "Prefers e-mail." };
    out.push(lang === "ru" ? ru[channel] : en[channel]);
  } else if (l.facts.urgency === "high") out.push(lang === "ru" ? "Пишет, что срочно." : "Says it is urgent.");
  return out.slice(0, 4).join(" ");
}

/** A first reply to the client, in the lead's language: thanks, what we understood, two questions, a next step. */
export function replyDraft(l: ComposeInput, lang: Lang, agency = "LeadFlow"): string {
  const name = l.name?.trim().split(/\s+/)[0];
  const m = money(l.facts.budget, lang);
  if (lang === "ru") {
    const lines = [`${name ? `Здравствуйте, ${name}!` : "Здравствуйте!"}`, "", `Спасибо за заявку${l.category !== "other" && l.category !== "spam" ? ` на ${SERVICE.ru[l.category]}` : ""}. Мы уже посмотрели задачу.`];
    const known: string[] = [];
    if (m) known.push(`бюджет около ${m}`);
    if (l.facts.deadline) known.push(`срок ${l.facts.deadline.text}`);
    if (known.length) lines.push(`Учли ${known.join(" и ")}.`);
    lines.push("", "Чтобы подготовить предложение, уточните, пожалуйста:");
    lines.push(l.facts.website ? `— что в текущем сайте ${l.facts.website} важно сохранить;` : "— есть ли у вас сайт или примеры, которые нравятся;");
    lines.push(m ? "— кто будет принимать решение и когда удобно обсудить детали." : "— на какой бюджет вы ориентируетесь.");
    lines.push("", `Когда вам удобно созвониться на 15 минут${l.facts.preferredChannel === "telegram" ? " или продолжить в Telegram" : ""}?`, "", `С уважением,\n${agency}`);
    return lines.join("\n");
  }
  const lines = [`${name ? `Hello ${name},` : "Hello,"}`, "", `Thank you for your request${l.category !== "other" && l.category !== "spam" ? ` for ${SERVICE.en[l.category]}` : ""}. We have looked at it already.`];
  const known: string[] = [];
  if (m) known.push(`a budget of about ${m}`);
  if (l.facts.deadline) known.push(`the deadline (${l.facts.deadline.text})`);
  if (known.length) lines.push(`We have noted ${known.join(" and ")}.`);
  lines.push("", "To prepare a proposal, could you tell us:");
  lines.push(l.facts.website ? `- what on ${l.facts.website} you would like to keep;` : "- whether you have a site, or examples you like;");
  lines.push(m ? "- who makes the decision, and when we could discuss the details." : "- what budget you have in mind.");
  lines.push("", "When would suit you for a 15-minute call?", "", `Best regards,\n${agency}`);
  return lines.join("\n");
}
