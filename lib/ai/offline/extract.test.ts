import { describe, expect, it } from "vitest";
import { extractBudget, extractDeadline, extractFacts } from "./extract";

const NOW = new Date("2026-12-01T10:00:00Z");

describe("offline extraction", () => {
  it.each([
    ["Бюджет 150 тыс", 150_000, "RUB"],
    ["готовы потратить до 300 000 ₽ на всё", 300_000, "RUB"],
    ["бюджет около 50к руб", 50_000, "RUB"],
    ["рассчитываем на 1,5 млн", 1_500_000, "RUB"],
    ["Budget is $2000", 2000, "USD"],
    ["up to 1500 EUR for the landing", 1500, "EUR"],
    ["стоимость до 80 000 рублей", 80_000, "RUB"],
    ["€3 000 max", 3000, "EUR"],
  ])("money: %s", (text, amount, currency) => {
    expect(extractBudget(text)).toMatchObject({ amount, currency });
  });

  it("does not take years, dates or phones for money", () => {
    expect(extractBudget("Сайт сделали в 2019 году, позвоните +7 916 123-45-67")).toBeNull();
    expect(extractBudget("нужно к 15.04")).toBeNull();
  });

  it.each([
    ["сделать до 1 марта", "2027-03-01"],
    ["запуск к 15 апреля 2027", "2027-04-15"],
    ["нужно к 20.12", "2026-12-20"],
    ["к концу месяца", "2026-12-31"],
    ["хотим к Новому году", "2026-12-31"],
    ["в течение двух недель", "2026-12-15"],
    ["by March 1st", "2027-03-01"],
    ["within 3 weeks please", "2026-12-22"],
  ])("deadline: %s", (text, date) => {
    expect(extractDeadline(text, NOW)?.date).toBe(date);
  });

  it("urgency, website, contacts, city and the channel asked for", () => {
    const f = extractFacts("Срочно! Сайт www.romashka-shop.ru лежит. Мы из Казани, пишите в телеграм или на ivan@romashka.ru, тел 8 (916) 123-45-67", NOW);
    expect(f).toMatchObject({ urgency: "high", website: "www.romashka-shop.ru", emails: ["ivan@romashka.ru"], phones: ["+79161234567"], city: "Казань", preferredChannel: "telegram" });
    expect(extractDeadline("срочно", NOW)).toEqual({ text: "срочно", date: null });
  });
});
