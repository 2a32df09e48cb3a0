// Text → tokens for the offline model: HTML and entities stripped, lower-cased, ё → е, words
// stemmed by language (Snowball, Russian and English), language detected by tinyld with a script
// fallback for very short texts. Pure and deterministic.
import { detect } from "tinyld";
import snowball from "snowball-stemmers";

export type Lang = "ru" | "en";

const ru = snowball.newStemmer("russian");
const en = snowball.newStemmer("english");

const ENTITIES: Record<string, string> = { nbsp: " ", amp: "&", lt: "<", gt: ">", quot: '"', laquo: "«", raquo: "»", mdash: "—", ndash: "–", hellip: "…" };

/** Markup, entities and whitespace runs out: the text a person would read. */
export function plainText(s: string): string {
  return s
    .replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        // No NUL, no lone surrogate (&#xD800;): text that could not be stored is a space.
        return Number.isFinite(code) && code > 0 && code < 0x110000 && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : " ";
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

/** The text's language: tinyld, or the script's majority when the text is too short to tell. */
export function detectLang(s: string): Lang {
  const cyr = (s.match(/[\u0400-\u04ff]/g) ?? []).length;
  const lat = (s.match(/[a-z]/gi) ?? []).length;
  if (cyr + lat === 0) return "ru";
  if (s.length >= 24) {
    const d = detect(s, { only: ["ru", "en", "uk", "bg"] });
    if (d === "en") return "en";
    if (d === "ru" || d === "uk" || d === "bg") return "ru";
  }
  return cyr >= lat ? "ru" : "en";
}

const STOP = new Set(
  (
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это мы наш наша наши ваш ваша ваши " +
    "the a an and or but if of to in on at by for with from as is are was were be been it this that these those we you i he she they them our your my me us do does did have has had not no so than then there here can could would should will just about into over also any all some what which who whom"
  ).split(" "),
);

/** Stemmed word tokens (stop words out, numbers kept as a shape). */
export function tokens(s: string, _lang?: Lang): string[] {
  const out: string[] = [];
  for (const raw of s.toLowerCase().replace(/ё/g, "е").match(/[\p{L}][\p{L}\p{N}'-]*|\d+/gu) ?? []) {
    if (/^\d+$/.test(raw)) {
      out.push(raw.length >= 5 ? "#num5" : "#num");
      continue;
    }
    if (raw.length < 2 || STOP.has(raw)) continue;
    // "интернет-магазин", "seo-аудит": the parts are the words people also write apart.
    for (const w of raw.includes("-") ? raw.split("-").filter((x) => x.length >= 2 && !STOP.has(x)) : [raw]) {
      out.push(/[\u0400-\u04ff]/.test(w) ? ru.stem(w) : en.stem(w));
    }
  }
  return out;
}
