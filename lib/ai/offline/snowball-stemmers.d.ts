// snowball-stemmers ships no types: the two calls the offline model uses.
declare module "snowball-stemmers" {
  export type Stemmer = { stem(word: string): string };
  const snowball: { newStemmer(language: string): Stemmer; algorithms(): string[] };
  export default snowball;
}
