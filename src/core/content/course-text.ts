/**
 * Text folding shared by the course search and the glossary: compatibility forms and accents
 * removed, lower case, so "Économie", "ECONOMIE" and "économie" compare equal.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** A heading's slug, as Markdown renderers make anchors: "Zero-shot, few-shot" -> "zero-shot-few-shot". */
export function slugify(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/[\s-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
