/**
 * Tracking shuffled objects (after BIG-Bench's task of that name, one of
 * JSONSchemaBench's quality families): three to five people each start with
 * one object (a ball, a book, a dance partner, a position on a team), trade
 * them in a sequence of pairwise swaps, and the question asks what one of
 * them has at the end.
 *
 * @example
 * ```ts
 * import { generate } from "./shuffled_objects.ts";
 * const [task] = generate(1, 1);
 * task.question; // "Alice, Bob, and Claire are playing a game. ..."
 * task.answerType; // "string"
 * ```
 * @module
 */
import { createRandom } from "./random.ts";
import { checkCount, type QualityTask, taskKey } from "./task.ts";

/**
 * One story frame: how holding, swapping and asking are worded.
 *
 * @example
 * ```ts
 * SCENARIOS[0].holds("Alice", "red"); // "Alice has a red ball"
 * ```
 */
export interface Scenario {
  name: string;
  /** `{people} …` — the opening sentence, after the list of people. */
  opening: string;
  /** The words before the colon that lists who holds what. */
  start: string;
  /** How "person holds item" is written. */
  holds: (person: string, item: string) => string;
  /** What the people do in each swap, e.g. "swap balls". */
  swapVerb: string;
  /** The question about `person` at the end. */
  ask: (person: string) => string;
  /** The objects; every answer is one of these, exactly as written. */
  items: readonly string[];
}

/**
 * The people who play (none of them is also an object).
 *
 * @example
 * ```ts
 * PEOPLE.slice(0, 3); // ["Alice", "Bob", "Claire"]
 * ```
 */
export const PEOPLE: readonly string[] = [
  "Alice",
  "Bob",
  "Claire",
  "Dave",
  "Eve",
  "Fred",
  "Gertrude",
  "Hank",
  "Irene",
  "Jack",
];

/**
 * The story frames.
 *
 * @example
 * ```ts
 * SCENARIOS.map((s) => s.name); // ["balls", "books", "dance partners", "positions"]
 * ```
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "balls",
    opening: "are playing a game.",
    start: "At the start of the game, they are each holding a ball",
    holds: (person, item) => `${person} has a ${item} ball`,
    swapVerb: "swap balls",
    ask: (person) =>
      `At the end of the game, what colour is the ball ${person} has? ` +
      "Answer with the colour only.",
    items: [
      "red",
      "blue",
      "green",
      "yellow",
      "purple",
      "orange",
      "white",
      "black",
      "pink",
      "brown",
    ],
  },
  {
    name: "books",
    opening: "are friends and avid readers who sometimes trade books.",
    start: "At the start of the semester, they each buy one new book",
    holds: (person, item) => `${person} gets ${item}`,
    swapVerb: "swap books",
    ask: (person) =>
      `At the end of the semester, which book does ${person} have? ` +
      "Answer with the title only.",
    items: [
      "Frankenstein",
      "Moby Dick",
      "Ulysses",
      "Hamlet",
      "Middlemarch",
      "Dracula",
      "Beloved",
      "Persuasion",
      "Rebecca",
      "Catch-22",
    ],
  },
  {
    name: "dance partners",
    opening: "are dancers at a square dance.",
    start: "At the start of a song, they each have a partner",
    holds: (person, item) => `${person} is dancing with ${item}`,
    swapVerb: "switch partners",
    ask: (person) =>
      `At the end of the dance, who is ${person} dancing with? ` +
      "Answer with the name only.",
    items: [
      "Sam",
      "Rodrigo",
      "Lola",
      "Patrick",
      "Melissa",
      "Karl",
      "Izzi",
      "Jamie",
      "Ophelia",
      "Helga",
    ],
  },
  {
    name: "positions",
    opening: "are on the same team in a soccer match.",
    start: "At the start of the match, they are each assigned to a position",
    holds: (person, item) => `${person} is playing ${item}`,
    swapVerb: "trade positions",
    ask: (person) =>
      `At the end of the match, which position is ${person} playing? ` +
      "Answer with the position only.",
    items: [
      "goalkeeper",
      "striker",
      "left winger",
      "right winger",
      "center midfielder",
      "left midfielder",
      "right midfielder",
      "sweeper",
      "fullback",
      "center back",
    ],
  },
];

/**
 * "a, b, and c" (a serial comma from three items on; "a and b" for two).
 *
 * @example
 * ```ts
 * listPhrase(["Alice", "Bob", "Claire"]); // "Alice, Bob, and Claire"
 * ```
 */
export function listPhrase(items: readonly string[]): string {
  if (items.length <= 2) return items.join(" and ");
  return `${items.slice(0, -1).join(", ")}, and ${items[items.length - 1]}`;
}

const ORDINAL_LEAD = ["First", "Then", "Finally"] as const;

/**
 * `count` shuffled-objects tasks for `seed`: 3 to 5 people, as many swaps
 * as people or one more, never the same pair twice in a row.
 *
 * @example
 * ```ts
 * const tasks = generate(9, 3);
 * tasks.map((t) => t.key); // ["shuffled_objects-0000", "shuffled_objects-0001", "shuffled_objects-0002"]
 * ```
 */
export function generate(seed: number, count: number): QualityTask[] {
  checkCount(count);
  const random = createRandom(seed);
  const tasks: QualityTask[] = [];
  for (let index = 0; index < count; index++) {
    const scenario = random.pick(SCENARIOS);
    const size = random.int(3, 5);
    const people = random.sample(PEOPLE, size);
    const items = random.sample(scenario.items, size);
    const holding = new Map(people.map((person, i) => [person, items[i]]));
    const swapCount = random.int(size, size + 1);
    const swaps: [string, string][] = [];
    let previous = "";
    while (swaps.length < swapCount) {
      const [a, b] = random.sample(people, 2);
      const pair = [a, b].sort().join("|");
      if (pair === previous) continue;
      previous = pair;
      swaps.push([a, b]);
      const held = holding.get(a)!;
      holding.set(a, holding.get(b)!);
      holding.set(b, held);
    }
    const target = random.pick(people);
    const swapSentences = swaps.map(([a, b], i) => {
      const lead = i === 0
        ? ORDINAL_LEAD[0]
        : i === swaps.length - 1
        ? ORDINAL_LEAD[2]
        : ORDINAL_LEAD[1];
      return `${lead}, ${a} and ${b} ${scenario.swapVerb}.`;
    });
    const question = [
      `${listPhrase(people)} ${scenario.opening}`,
      `${scenario.start}: ${
        listPhrase(people.map((p, i) => scenario.holds(p, items[i])))
      }.`,
      `Over time, pairs of them ${scenario.swapVerb}.`,
      ...swapSentences,
      scenario.ask(target),
    ].join(" ");
    tasks.push({
      key: taskKey("shuffled_objects", index),
      family: "shuffled_objects",
      question,
      expected: holding.get(target)!,
      answerType: "string",
    });
  }
  return tasks;
}
