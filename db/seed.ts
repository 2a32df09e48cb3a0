import "server-only";
/**
 * Demo data: the agency «Пиксель и Код» with realistic Russian leads over the last 90 days
 * across channels, sources and statuses, its team, a site with keys, and a second tenant.
 * Deterministic (seeded PRNG) so screenshots and tests are stable. Runs once: skipped when present.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { leadEvents, leads, notes, tenants, type Channel, type LeadEventType } from "./schema";
import { withScope, withTenant } from "./tenant";
import { createTenant, createUser } from "@/lib/services/tenants";
import { createSite } from "@/lib/services/sites";
import { enqueueSql } from "@/lib/jobs/enqueue";
import { aiAnalyseRef } from "@/lib/jobs/refs";

export const DEMO = {
  slug: "demo",
  name: "Пиксель и Код",
  password: "demo12345",
  owner: "owner@demo.leadflow.local",
  manager: "manager@demo.leadflow.local",
  sales: ["anna@demo.leadflow.local", "dmitry@demo.leadflow.local"],
  second: { slug: "sever", name: "Студия «Север»", owner: "owner@sever.leadflow.local" },
} as const;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Алексей", "Мария", "Иван", "Екатерина", "Дмитрий", "Ольга", "Сергей", "Анна", "Павел", "Наталья", "Михаил", "Татьяна", "Андрей", "Юлия", "Николай", "Светлана", "Артём", "Ксения", "Григорий", "Виктория"];
const LAST = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Волков", "Соловьёв", "Васильев", "Зайцев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов"];
const TRANSLIT: Record<string, string> = { а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f", х: "h", ц: "ts", ч: "ch", ш: "sh", щ: "sch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya" };
const COMPANIES = ["ООО «Ромашка»", "ИП Сидоров", "ООО «ТехноСтрой»", "АО «Северный ветер»", "ООО «Вкусная еда»", "Студия йоги «Прана»", "ООО «АвтоДеталь»", "Клиника «Здоровье+»", "ООО «ЭкоДом»", "Магазин «Книжный угол»", "ООО «ЛогистикПро»", "Школа английского «Speak Up»", "ООО «Мебель Мастер»", "Салон красоты «Шарм»", null, null, null];
const DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "company.ru"];
const MESSAGES: { text: string; weight: number }[] = [
  { text: "Нужен интернет-магазин на 500 товаров с интеграцией 1С и оплатой картой. Бюджет около 600 тыс. ₽, срок — 3 месяца.", weight: 5 },
  { text: "Хотим переделать корпоративный сайт: устарел дизайн, не работает на телефонах. Пришлите примеры работ и цены.", weight: 5 },
  { text: "Интересует настройка Яндекс Директ для нашего салона, бюджет на рекламу 80 000 ₽ в месяц.", weight: 4 },
  { text: "Нужно SEO-продвижение сайта клиники в Москве, сейчас почти нет органического трафика.", weight: 4 },
  { text: "Требуется дизайн мобильного приложения (UI/UX), 15–20 экранов, разработка у нас своя.", weight: 3 },
  { text: "На сайте перестала работать форма заказа после обновления, срочно нужна помощь.", weight: 2 },
  { text: "Запустить рекламу в VK и Telegram Ads для онлайн-школы, нужен медиаплан.", weight: 3 },
  { text: "Сделайте, пожалуйста, лендинг под новую услугу, тексты и фото есть.", weight: 4 },
  { text: "Я фрилансер-верстальщик, ищу сотрудничество с агентством. Портфолио по ссылке.", weight: 1 },
  { text: "Проведите SEO-аудит сайта, просели позиции в Яндексе после редизайна.", weight: 2 },
  { text: "Нужна интеграция сайта с amoCRM и настройка сквозной аналитики.", weight: 2 },
  { text: "Сколько стоит сопровождение сайта и хостинг на год?", weight: 2 },
  { text: "Раскрутка сайта в топ за 3 дня!!! Дешево, гарантия, пишите в телеграм", weight: 1 },
];
const SOURCES: { utm: [string | null, string | null, string | null]; weight: number }[] = [
  { utm: ["yandex", "cpc", "direct_brand"], weight: 6 },
  { utm: ["yandex", "cpc", "direct_services"], weight: 5 },
  { utm: ["google", "cpc", "search_web"], weight: 2 },
  { utm: ["vk", "social", "vk_ads_autumn"], weight: 3 },
  { utm: ["telegram", "social", "tg_channel"], weight: 2 },
  { utm: ["yandex", "organic", null], weight: 4 },
  { utm: [null, null, null], weight: 5 },
];
const CHANNELS: { c: Channel; weight: number }[] = [
  { c: "web", weight: 60 },
  { c: "email", weight: 15 },
  { c: "telegram", weight: 12 },
  { c: "api", weight: 8 },
  { c: "manual", weight: 5 },
];
const FORMS = ["Обратный звонок", "Заявка на расчёт", "Бриф", "Консультация"];
const NOTES = ["Перезвонил, договорились о встрече в четверг.", "Отправил КП на почту.", "Клиент просит скидку 10%, согласовываю с руководителем.", "Не дозвонился, написал в WhatsApp.", "Бюджет меньше ожидаемого, предложил упрощённый вариант.", "Подписали договор, передаю в производство."];

function pick<T extends { weight: number }>(r: () => number, items: T[]): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = r() * total;
  for (const i of items) {
    x -= i.weight;
    if (x <= 0) return i;
  }
  return items[items.length - 1]!;
}
const one = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const translit = (s: string) => [...s.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join("");

export async function isSeeded(): Promise<boolean> {
  const rows = await withScope({ tenantSlug: DEMO.slug }, (tx) => tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO.slug)));
  return rows.length > 0;
}

export type SeedResult = { tenantId: string; publicKey: string; secretKey: string; leads: number };

export async function seedDemo(opts: { leads?: number; now?: Date } = {}): Promise<SeedResult> {
  const r = prng(20261124);
  const now = opts.now ?? new Date();
  const count = opts.leads ?? 640;

  const { tenantId } = await createTenant({ name: DEMO.name, slug: DEMO.slug, ownerEmail: DEMO.owner, ownerPassword: DEMO.password, ownerName: "Ирина Владелец", locale: "ru" });
  const manager = await createUser({ tenantSlug: DEMO.slug, email: DEMO.manager, password: DEMO.password, role: "manager", name: "Олег Руководитель" });
  const salesIds: string[] = [];
  for (const [i, email] of DEMO.sales.entries()) {
    const u = await createUser({ tenantSlug: DEMO.slug, email, password: DEMO.password, role: "sales", name: i === 0 ? "Анна Продажи" : "Дмитрий Продажи" });
    salesIds.push(u.userId);
  }
  const site = await createSite(tenantId, { name: "pixel-code.ru", origins: ["https://pixel-code.ru", "http://localhost:3000"], thankYouUrl: null });

  // The second tenant (its owner also has a seat in the demo tenant's world: separate login).
  await createTenant({ name: DEMO.second.name, slug: DEMO.second.slug, ownerEmail: DEMO.second.owner, ownerPassword: DEMO.password, ownerName: "Пётр Северов", locale: "ru" });

  const leadRows: (typeof leads.$inferInsert)[] = [];
  const eventRows: (typeof leadEvents.$inferInsert)[] = [];
  const noteRows: (typeof notes.$inferInsert)[] = [];
  const day = 86400_000;
  for (let i = 0; i < count; i++) {
    // More leads recently (a growing agency) and fewer at weekends.
    const ageDays = 90 * Math.pow(r(), 1.25);
    let created = new Date(now.getTime() - ageDays * day);
    if ([0, 6].includes(created.getDay()) && r() < 0.5) created = new Date(created.getTime() - 2 * day);
    const first = one(r, FIRST);
    const female = /[ая]$/.test(first);
    const last = one(r, LAST) + (female ? "а" : "");
    const name = r() < 0.92 ? `${first} ${last}` : null;
    const channel = pick(r, CHANNELS).c;
    const src = channel === "web" ? pick(r, SOURCES).utm : [null, null, null];
    const message = pick(r, MESSAGES).text;
    const spam = message.includes("!!!");
    const hasEmail = channel === "email" || r() < 0.75;
    const hasPhone = !hasEmail || r() < 0.7;
    const email = hasEmail ? `${translit(first)}.${translit(last)}${Math.floor(r() * 90) + 10}@${one(r, DOMAINS)}` : null;
    const phone = hasPhone ? `+79${String(Math.floor(r() * 1e9)).padStart(9, "0")}` : null;
    const ageHours = (now.getTime() - created.getTime()) / 3600_000;
    let status: string;
    if (spam) status = "junk";
    else if (ageHours < 6) status = r() < 0.7 ? "new" : "in_progress";
    else {
      const x = r();
      status = ageDays > 20 ? (x < 0.28 ? "won" : x < 0.55 ? "lost" : x < 0.62 ? "junk" : x < 0.8 ? "qualified" : "in_progress") : x < 0.12 ? "new" : x < 0.5 ? "in_progress" : x < 0.7 ? "qualified" : x < 0.82 ? "won" : x < 0.95 ? "lost" : "junk";
    }
    const id = randomUUID();
    const assigneeId = status === "new" && r() < 0.7 ? null : one(r, salesIds);
    const responded = status !== "new";
    const responseSeconds = responded ? Math.round(Math.exp(4.5 + r() * 3.2) + 60) : null; // ~2 min … ~3 h
    const firstResponseAt = responseSeconds ? new Date(Math.min(now.getTime(), created.getTime() + responseSeconds * 1000)) : null;
    const terminal = ["won", "lost", "junk"].includes(status);
    const updatedAt = terminal ? new Date(Math.min(now.getTime(), created.getTime() + (1 + r() * 10) * day)) : firstResponseAt ?? created;
    leadRows.push({
      id, tenantId, siteId: channel === "web" || channel === "api" ? site.siteId : null, status, channel, name, email, phone,
      company: one(r, COMPANIES), message, form: channel === "web" ? one(r, FORMS) : null,
      pageUrl: channel === "web" ? `https://pixel-code.ru/${one(r, ["", "uslugi/sajty", "uslugi/reklama", "uslugi/seo", "kontakty"])}` : null,
      referrer: src[0] === "yandex" ? "https://yandex.ru/" : src[0] === "google" ? "https://www.google.com/" : null,
      utmSource: src[0], utmMedium: src[1], utmCampaign: src[2], consent: channel === "web",
      customFields: channel === "web" && r() < 0.3 ? { budget: one(r, ["до 100 000 ₽", "100–300 тыс. ₽", "300–600 тыс. ₽", "от 1 млн ₽"]) } : {},
      spam, submissions: r() < 0.06 ? 2 : 1, emailNorm: email, phoneNorm: phone, assigneeId,
      assignedAt: assigneeId ? firstResponseAt ?? created : null, firstResponseAt, firstResponseSeconds: responseSeconds,
      firstResponseBy: responded ? assigneeId : null, closedAt: terminal ? updatedAt : null,
      // The default target (15 min), around the clock, as the lead-received job would have set it.
      firstResponseDueAt: channel === "import" ? null : new Date(created.getTime() + 15 * 60_000),
      // The path the timeline below tells: new → (in progress →) the status now.
      stagesReached: [...new Set(["new", ...(terminal && responded ? ["in_progress"] : []), status])],
      createdAt: created, updatedAt, lastSubmissionAt: created,
    });
    const ev = (type: LeadEventType, at: Date, payload: Record<string, unknown>, actor: string | null = null) =>
      eventRows.push({ tenantId, leadId: id, type, payload: payload as never, createdAt: at, actorUserId: actor });
    ev("created", created, { channel, siteId: channel === "web" ? site.siteId : null, source: src[0] });
    if (assigneeId) ev("assigned", new Date(created.getTime() + 60_000), { fromUserId: null, toUserId: assigneeId }, manager.userId);
    if (firstResponseAt && status !== "new") {
      ev("status_changed", firstResponseAt, { from: "new", to: terminal ? "in_progress" : status }, assigneeId);
      if (terminal) ev("status_changed", updatedAt, { from: "in_progress", to: status }, assigneeId);
      if (r() < 0.45) {
        const noteId = randomUUID();
        const body = one(r, NOTES);
        noteRows.push({ id: noteId, tenantId, leadId: id, authorId: assigneeId, body, createdAt: firstResponseAt, updatedAt: firstResponseAt });
        ev("note", firstResponseAt, { noteId, excerpt: body.slice(0, 80) }, assigneeId);
      }
    }
  }
  await withTenant(tenantId, async (tx) => {
    for (let i = 0; i < leadRows.length; i += 250) await tx.insert(leads).values(leadRows.slice(i, i + 250));
    for (let i = 0; i < eventRows.length; i += 500) await tx.insert(leadEvents).values(eventRows.slice(i, i + 500));
    for (let i = 0; i < noteRows.length; i += 500) await tx.insert(notes).values(noteRows.slice(i, i + 500));
    // Every demo lead gets the AI's reading (offline without a key), as a lead from intake would.
    await tx.execute(sql`select ${enqueueSql(aiAnalyseRef, { tenantId: sql`${leads.tenantId}::text`, leadId: sql`${leads.id}::text` })} from ${leads}`);
  });
  return { tenantId, publicKey: site.publicKey, secretKey: site.secretKey, leads: leadRows.length };
}
