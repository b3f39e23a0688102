/**
 * The prompt: JSONSchemaBench's in substance. A system message asks for a
 * JSON object that matches the schema; the user message carries the schema
 * (as written, property order kept). Optional few-shot examples come first
 * as user/assistant turns; a case's own prompt, when it has one, replaces
 * the user message's instruction. The template is stored with the run.
 *
 * @example
 * ```ts
 * import { buildMessages, DEFAULT_TEMPLATE } from "./prompt.ts";
 * const messages = buildMessages(DEFAULT_TEMPLATE, { schema: { type: "object" } });
 * messages[0].role; // "system"
 * ```
 * @module
 */
import type { Message } from "./targets/target.ts";

/** A prompt template; `{schema}` and `{prompt}` are replaced. */
export interface PromptTemplate {
  system: string;
  /** The user message when the case has no prompt of its own. */
  user: string;
  /** The user message when the case has a prompt (`{prompt}`). */
  user_with_prompt: string;
  /** Worked examples shown before the case. */
  few_shot: { schema: unknown; answer: unknown }[];
}

/** The default template. */
export const DEFAULT_TEMPLATE: PromptTemplate = {
  system:
    "You need to generate a JSON object that matches the JSON Schema the user gives. " +
    "Answer with the JSON object only: no explanation, no Markdown.",
  user: "JSON Schema:\n{schema}",
  user_with_prompt: "{prompt}\n\nJSON Schema:\n{schema}",
  few_shot: [],
};

/** Two small worked examples, for runs that ask for few-shot prompting. */
export const FEW_SHOT_EXAMPLES: PromptTemplate["few_shot"] = [
  {
    schema: {
      type: "object",
      properties: {
        name: { type: "string" },
        age: { type: "integer", minimum: 0 },
      },
      required: ["name", "age"],
    },
    answer: { name: "Ada", age: 36 },
  },
  {
    schema: {
      type: "array",
      items: { type: "string", enum: ["red", "green", "blue"] },
      minItems: 2,
    },
    answer: ["red", "blue"],
  },
];

function fill(text: string, values: Record<string, string>): string {
  return text.replace(
    /\{(schema|prompt)\}/g,
    (_m, key: string) => values[key] ?? "",
  );
}

/**
 * The messages for one case.
 *
 * @example
 * ```ts
 * buildMessages(DEFAULT_TEMPLATE, { schema: true, prompt: "Describe a cat." })[1].content;
 * // "Describe a cat.\n\nJSON Schema:\ntrue"
 * ```
 */
export function buildMessages(
  template: PromptTemplate,
  kase: { schema: unknown; prompt?: string | null },
): Message[] {
  const messages: Message[] = [{ role: "system", content: template.system }];
  for (const example of template.few_shot) {
    messages.push({
      role: "user",
      content: fill(template.user, { schema: JSON.stringify(example.schema) }),
    });
    messages.push({
      role: "assistant",
      content: JSON.stringify(example.answer),
    });
  }
  const schema = JSON.stringify(kase.schema);
  messages.push({
    role: "user",
    content: kase.prompt
      ? fill(template.user_with_prompt, { schema, prompt: kase.prompt })
      : fill(template.user, { schema }),
  });
  return messages;
}
