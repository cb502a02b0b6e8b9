/**
 * Slugs and identifier cases, one module for the whole app: project slugs, stage ids, and the
 * names the offline engine gives entities, fields, files and routes.
 */

/**
 * A lowercase kebab-case slug of at most `max` characters, accents folded ("Café Olé" →
 * "cafe-ole"); `fallback` when nothing is left.
 */
export function slugify(value: string, fallback = "item", max = 48): string {
  const slug = value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, max).replace(/-+$/, "");
  return slug || fallback;
}

/** The first letter upper-cased ("vegetable box" → "Vegetable box"). */
export function capitalise(value: string): string {
  return value ? value[0].toUpperCase() + value.slice(1) : value;
}

function words(value: string): string[] {
  return value.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/** "vegetable box" → "VegetableBox". */
export function pascal(value: string): string {
  return words(value).map((word) => capitalise(word.toLowerCase())).join("");
}

/** "vegetable box" → "vegetableBox". */
export function camel(value: string): string {
  const name = pascal(value);
  return name ? name[0].toLowerCase() + name.slice(1) : name;
}

/** "VegetableBox" or "vegetable box" → "vegetable-box". */
export function kebab(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/)
    .filter(Boolean).join("-");
}

/** "VegetableBox" or "vegetable box" → "vegetable_box". */
export function snake(value: string): string {
  return kebab(value).replace(/-/g, "_");
}
