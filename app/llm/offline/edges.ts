/**
 * Honest edges of the offline engine (issue 11 §5): a directive in another language, or one
 * with no recognisable product, gets a clear message instead of a blueprint named after its
 * words. Pure and deterministic; the routes and the provider both ask it.
 */
import { CREATE_ERROR_MESSAGES } from "../../blueprint/refusals.ts";
import { isEnglishWord, wordKind } from "./wordnet.ts";

export type DirectiveProblem =
  | { kind: "non-english"; message: string }
  | { kind: "no-product"; message: string };

export const NON_ENGLISH_MESSAGE = CREATE_ERROR_MESSAGES.directive_language;
export const NO_PRODUCT_MESSAGE = CREATE_ERROR_MESSAGES.directive_unrecognised;

/** Frequent words of other languages that are not English words (lower case). */
const FOREIGN_WORDS = new Set(
  `una uno unos unas los las del de para por que con sin mis sus nuestro muy como donde cuando
  une des les pour avec sans dans sur leurs leur est sont chez ou où aux du au cette ces
  ein eine einen einem der die das und für mit ihre ihren nicht wie wo auf zum zur von dem
  um uma os da das dos para com sem seus suas onde aos pelo pela
  il lo gli di per con che della delle degli nel nella un' una
  een het van voor met bij waarmee zijn naar
  dla na w z do ze się oraz jest
  için ve bir ile bu`.split(/\s+/),
);

/** Words that name no product on their own. */
const EMPTY_WORDS = new Set(
  `app application platform tool site website service system software product thing
  something anything stuff idea hello hi hey there test testing demo example sample lorem
  ipsum cool nice good great awesome new simple thanks please ok okay yes best better ever
  need help want make build rich fast quick easy world`.split(/\s+/),
);

/** Product words a directive may use that WordNet 3.1 lacks. */
const PRODUCT_TERMS = new Set(
  `todo crm erp api sdk saas ecommerce podcast blog vlog wiki webinar chatbot startup
  freelance freelancer kanban newsletter app apps`.split(/\s+/),
);

const known = (word: string) => PRODUCT_TERMS.has(word) || isEnglishWord(word);

/** Why the offline engine cannot make a blueprint of this directive, if it cannot. */
export function directiveProblem(directive: string): DirectiveProblem | null {
  const text = directive.normalize("NFC");
  const letters = [...text.matchAll(/\p{L}/gu)].map((m) => m[0]);
  const latin = letters.filter((c) => /\p{Script=Latin}/u.test(c));
  if (letters.length > 0 && latin.length / letters.length < 0.5) {
    return { kind: "non-english", message: NON_ENGLISH_MESSAGE };
  }
  const words = (text.toLowerCase().match(/[\p{L}][\p{L}'’-]*/gu) ?? [])
    .map((word) => word.replace(/['’]$/, ""));
  if (words.length === 0) return { kind: "no-product", message: NO_PRODUCT_MESSAGE };
  const english = words.filter(known);
  // Function words of other languages count even when WordNet happens to list them ("para").
  const foreign = words.filter((word) => FOREIGN_WORDS.has(word));
  const accented = words.filter((word) => /[^a-z'’-]/.test(word) && !known(word));
  const share = english.length / words.length;
  const marks = foreign.length + accented.length;
  if (words.length >= 3 && ((share < 0.6 && marks >= 1) || (share < 0.8 && marks >= 3))) {
    return { kind: "non-english", message: NON_ENGLISH_MESSAGE };
  }
  const content = english.filter((word) =>
    word.length >= 3 && !EMPTY_WORDS.has(word) &&
    (wordKind(word) !== undefined || (PRODUCT_TERMS.has(word) && !/^apps?$/.test(word)))
  );
  if (share < 0.5 || content.length === 0 || new Set(content).size === 0) {
    return { kind: "no-product", message: NO_PRODUCT_MESSAGE };
  }
  return null;
}
