/**
 * The `idn-hostname` format as IDNA 2008 defines it (RFC 5890 to 5893),
 * which is what Python's `idna.encode` (the paper's checker, and the
 * oracle's) enforces: labels split at any of the four full stops; an
 * A-label (`xn--`) must decode, hold non-ASCII and re-encode to itself; a
 * U-label must be NFC, have no hyphen at both ends or in the 3rd and 4th
 * place, start with no combining mark, hold only PVALID code points
 * (letters and digits stable under case folding and NFKC, with RFC 5892's
 * exceptions) and meet the CONTEXTO and CONTEXTJ rules; a domain with a
 * right-to-left label meets the Bidi rule in every label; labels are 63
 * octets at most as A-labels, the name 253. The Unicode properties are
 * the JavaScript engine's (`\p{…}`), an approximation of IDNA's derived
 * tables good for the code points that occur.
 *
 * @example
 * ```ts
 * import { isIdnHostname } from "./idn_hostname.ts";
 * isIdnHostname("실례.테스트"); // true
 * isIdnHostname("l·a"); // false (MIDDLE DOT needs an "l" on both sides)
 * ```
 * @module
 */
import punycode from "node:punycode";

const SEPARATOR = /[.\u3002\uff0e\uff61]/;
const PVALID_EXCEPTIONS = new Set([0xdf, 0x3c2, 0x6fd, 0x6fe, 0xf0b, 0x3007]);
const DISALLOWED_EXCEPTIONS = new Set([
  0x640,
  0x7fa,
  0x302e,
  0x302f,
  0x3031,
  0x3032,
  0x3033,
  0x3034,
  0x3035,
  0x303b,
]); // deno-fmt-ignore
const CONTEXTO = new Set([0xb7, 0x375, 0x5f3, 0x5f4, 0x30fb]);
const VIRAMA = new Set([
  0x94d,
  0x9cd,
  0xa4d,
  0xacd,
  0xb4d,
  0xbcd,
  0xc4d,
  0xccd,
  0xd3b,
  0xd3c,
  0xd4d,
  0xdca,
  0xe3a,
  0xeba,
  0xf84,
  0x1039,
  0x103a,
  0x1714,
  0x1734,
  0x17d2,
  0x1a60,
  0x1b44,
  0x1baa,
  0x1bab,
  0x1bf2,
  0x1bf3,
  0x2d7f,
  0xa806,
  0xa8c4,
  0xa953,
  0xa9c0,
  0xaaf6,
  0xabed,
  0x10a3f,
  0x11046,
  0x1107f,
  0x110b9,
  0x11133,
  0x11134,
  0x111c0,
  0x11235,
  0x112ea,
  0x1134d,
  0x11442,
  0x114c2,
  0x115bf,
  0x1163f,
  0x116b6,
  0x1172b,
  0x11839,
  0x119e0,
  0x11a34,
  0x11a47,
  0x11a99,
  0x11c3f,
  0x11d44,
  0x11d45,
  0x11d97,
]); // deno-fmt-ignore
const LETTER_DIGIT = /^[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}]$/u;
const JOINING =
  /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Adlam}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}]$/u;

/** The Bidi class of a code point, as far as the rule needs it. */
function bidi(ch: string): "L" | "R" | "AL" | "AN" | "EN" | "NSM" | "ON" {
  const cp = ch.codePointAt(0)!;
  if (cp >= 0x660 && cp <= 0x669) return "AN";
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x6f0 && cp <= 0x6f9)) return "EN";
  if (/\p{Mn}|\p{Me}/u.test(ch)) return "NSM";
  if (/[\p{Script=Hebrew}\p{Script=Nko}]/u.test(ch)) return "R";
  if (/[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}]/u.test(ch)) {
    return /\p{Nd}/u.test(ch) ? "AN" : "AL";
  }
  if (/[\p{L}\p{Mc}]/u.test(ch)) return "L";
  return "ON";
}

/** RFC 5893 §2, for one label of a Bidi domain name. */
function bidiOk(chars: string[]): boolean {
  const classes = chars.map(bidi);
  const first = classes[0];
  let last = classes.length - 1;
  while (last > 0 && classes[last] === "NSM") last--;
  if (first === "R" || first === "AL") {
    if (classes.some((c) => c === "L")) return false;
    if (!["R", "AL", "EN", "AN"].includes(classes[last])) return false;
    return !(classes.includes("EN") && classes.includes("AN"));
  }
  if (first !== "L") return false;
  if (classes.some((c) => c === "R" || c === "AL" || c === "AN")) return false;
  return classes[last] === "L" || classes[last] === "EN";
}

function contextOk(chars: string[], i: number): boolean {
  const cp = chars[i].codePointAt(0)!;
  const before = chars[i - 1], after = chars[i + 1];
  switch (cp) {
    case 0xb7:
      return before === "l" && after === "l";
    case 0x375:
      return after !== undefined && /\p{Script=Greek}/u.test(after);
    case 0x5f3:
    case 0x5f4:
      return before !== undefined && /\p{Script=Hebrew}/u.test(before);
    case 0x30fb:
      return chars.some((c) =>
        c !== "\u30fb" &&
        /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(c)
      );
    case 0x200d:
      return before !== undefined && VIRAMA.has(before.codePointAt(0)!);
    case 0x200c: {
      if (before !== undefined && VIRAMA.has(before.codePointAt(0)!)) {
        return true;
      }
      // (L|D) T* ZWNJ T* (R|D), joining types approximated by script.
      let j = i - 1;
      while (j >= 0 && /\p{Mn}/u.test(chars[j])) j--;
      let k = i + 1;
      while (k < chars.length && /\p{Mn}/u.test(chars[k])) k++;
      return j >= 0 && k < chars.length && JOINING.test(chars[j]) &&
        JOINING.test(chars[k]);
    }
  }
  return true;
}

function uLabelOk(label: string): boolean {
  if (label.length === 0 || label !== label.normalize("NFC")) return false;
  if (label.startsWith("-") || label.endsWith("-")) return false;
  if (label[2] === "-" && label[3] === "-") return false;
  const chars = [...label];
  if (/^\p{M}/u.test(chars[0])) return false;
  let arabicIndic = false, extended = false;
  for (const [i, ch] of chars.entries()) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x660 && cp <= 0x669) arabicIndic = true;
    if (cp >= 0x6f0 && cp <= 0x6f9) extended = true;
    if (PVALID_EXCEPTIONS.has(cp)) continue;
    if (DISALLOWED_EXCEPTIONS.has(cp)) return false;
    if (CONTEXTO.has(cp) || cp === 0x200c || cp === 0x200d) {
      if (!contextOk(chars, i)) return false;
      continue;
    }
    if (ch === "-" || /^[a-z0-9]$/.test(ch)) continue;
    if (!LETTER_DIGIT.test(ch)) return false;
    // Unstable under case folding or NFKC: DISALLOWED.
    if (ch.normalize("NFKC").toLowerCase() !== ch) return false;
  }
  return !(arabicIndic && extended);
}

// deno-lint-ignore no-control-regex
const isAscii = (text: string) => /^[\x00-\x7f]*$/.test(text);

/**
 * See the module doc.
 *
 * @example
 * ```ts
 * isIdnHostname("xn--ihqwcrb4cv8a8dqg056pqjye"); // true
 * isIdnHostname("xn--example-"); // false: decodes to ASCII only
 * ```
 */
export function isIdnHostname(value: string): boolean {
  if (value.length === 0) return false;
  const labels = value.split(SEPARATOR);
  if (labels.length > 1 && labels[labels.length - 1] === "") labels.pop();
  const uLabels: string[] = [];
  let total = labels.length - 1;
  for (const label of labels) {
    if (label.length === 0) return false;
    let uLabel: string;
    let aLabel: string;
    if (isAscii(label)) {
      const lower = label.toLowerCase();
      if (lower.startsWith("xn--")) {
        try {
          uLabel = punycode.decode(lower.slice(4));
        } catch {
          return false;
        }
        if (isAscii(uLabel) || `xn--${punycode.encode(uLabel)}` !== lower) {
          return false;
        }
        if (!uLabelOk(uLabel)) return false;
      } else {
        if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(lower)) return false;
        if (lower[2] === "-" && lower[3] === "-") return false;
        uLabel = lower;
      }
      aLabel = lower;
    } else {
      if (!uLabelOk(label)) return false;
      uLabel = label;
      aLabel = `xn--${punycode.encode(label)}`;
    }
    if (aLabel.length > 63) return false;
    total += aLabel.length;
    uLabels.push(uLabel);
  }
  if (total > 253) return false;
  const rtl = uLabels.some((l) =>
    [...l].some((c) => ["R", "AL", "AN"].includes(bidi(c)))
  );
  return !rtl || uLabels.every((l) => bidiOk([...l]));
}
