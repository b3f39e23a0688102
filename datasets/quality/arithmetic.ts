/**
 * Grade-school arithmetic word problems in the style of GSM8K (one of
 * JSONSchemaBench's quality families), built from templates: each problem
 * takes two to four operations on small integers (buying, selling, sharing,
 * multiplying), every intermediate value is a positive integer, and the
 * answer is an integer. Each task keeps the expression its answer comes
 * from, so the answer can be checked independently.
 *
 * @example
 * ```ts
 * import { generate } from "./arithmetic.ts";
 * const [task] = generate(1, 1);
 * task.expression; // e.g. "(4 * 9 - 3) / 11"
 * task.expected; // the integer that expression gives
 * ```
 * @module
 */
import type { Random } from "./random.ts";
import { createRandom } from "./random.ts";
import { checkCount, type QualityTask, taskKey } from "./task.ts";

/**
 * A generated arithmetic problem, with the work behind its answer.
 *
 * @example
 * ```ts
 * const task: ArithmeticTask = generate(1, 1)[0];
 * task.expression; // e.g. "(7 * 6 - 4) * 2"
 * ```
 */
export interface ArithmeticTask extends QualityTask {
  family: "arithmetic";
  expected: number;
  answerType: "integer";
  /** Which template wrote it. */
  template: string;
  /**
   * The computation, in integers with `+ - * / ( )`, evaluated left to
   * right within a precedence level; it equals `expected`.
   */
  expression: string;
}

/** A person in a problem, with the pronouns the text needs. */
interface Person {
  name: string;
  /** he / she */
  subject: string;
  /** him / her */
  object: string;
  /** his / her */
  possessive: string;
}

const she = (name: string): Person => ({
  name,
  subject: "she",
  object: "her",
  possessive: "her",
});
const he = (name: string): Person => ({
  name,
  subject: "he",
  object: "him",
  possessive: "his",
});

const PEOPLE: readonly Person[] = [
  she("Janet"),
  he("Tobias"),
  she("Maria"),
  he("Kwame"),
  she("Lena"),
  he("Diego"),
  she("Aisha"),
  he("Tom"),
  she("Mei"),
  he("Rafael"),
  she("Nadia"),
  he("Oliver"),
];

/** What one template writes. */
interface Problem {
  question: string;
  expression: string;
  answer: number;
}

/** A template: a name and a writer drawing numbers from `random`. */
interface Template {
  name: string;
  write: (random: Random, person: Person) => Problem;
}

const capital = (text: string): string =>
  text.charAt(0).toUpperCase() + text.slice(1);

/** The templates, each with 2 to 4 operations. */
const TEMPLATES: readonly Template[] = [
  {
    name: "bake_share",
    write: (random, p) => {
      const trays = random.int(2, 5);
      const perTray = random.int(6, 12);
      const friends = random.int(2, 6);
      const total = trays * perTray;
      const each = Math.max(
        1,
        Math.floor((total - 1) / friends) - random.int(0, 2),
      );
      const eaten = total - friends * each;
      return {
        question: `${p.name} bakes ${trays} trays of cookies with ${perTray} ` +
          `cookies on each tray. ${capital(p.subject)} eats ${eaten} of ` +
          `them and shares the rest equally among ${friends} friends. ` +
          "How many cookies does each friend get?",
        expression: `(${trays} * ${perTray} - ${eaten}) / ${friends}`,
        answer: each,
      };
    },
  },
  {
    name: "sell_boxes",
    write: (random, p) => {
      const boxes = random.int(3, 9);
      const perBox = random.int(6, 12);
      const kept = random.int(2, 10);
      const price = random.int(2, 5);
      return {
        question: `${p.name} buys ${boxes} boxes of pencils. Each box holds ` +
          `${perBox} pencils. ${capital(p.subject)} keeps ${kept} pencils ` +
          `for ${p.object}self and sells the rest for $${price} each. ` +
          `How many dollars does ${p.subject} make?`,
        expression: `(${boxes} * ${perBox} - ${kept}) * ${price}`,
        answer: (boxes * perBox - kept) * price,
      };
    },
  },
  {
    name: "weekly_savings",
    write: (random, p) => {
      const weekly = random.int(5, 25);
      const weeks = random.int(3, 10);
      const spent = random.int(1, weekly * weeks - 1);
      const gift = random.int(5, 40);
      return {
        question: `${p.name} saves $${weekly} every week for ${weeks} ` +
          `weeks. Then ${p.subject} spends $${spent} on a new bike helmet, ` +
          `and ${p.possessive} grandmother gives ${p.object} $${gift}. ` +
          `How many dollars does ${p.name} have now?`,
        expression: `${weekly} * ${weeks} - ${spent} + ${gift}`,
        answer: weekly * weeks - spent + gift,
      };
    },
  },
  {
    name: "egg_cartons",
    write: (random, p) => {
      const carton = random.pick([6, 12]);
      const hens = random.int(3, 15);
      const layings = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((n) =>
        (hens * n) % carton === 0
      );
      const eggs = random.pick(layings);
      const price = random.int(2, 5);
      return {
        question: `${p.name} has ${hens} hens. Each hen lays ${eggs} eggs a ` +
          `week. ${capital(p.subject)} packs all the eggs in cartons of ` +
          `${carton} and sells each carton for $${price}. How many dollars ` +
          `does ${p.subject} earn in a week?`,
        expression: `${hens} * ${eggs} / ${carton} * ${price}`,
        answer: (hens * eggs) / carton * price,
      };
    },
  },
  {
    name: "shop_stock",
    write: (random, p) => {
      const morning = random.int(5, 30);
      const afternoon = random.int(5, 30);
      const stock = random.int(
        morning + afternoon + 1,
        morning + afternoon + 80,
      );
      const crates = random.int(2, 5);
      const perCrate = random.int(6, 24);
      return {
        question: `${p.name}'s fruit shop has ${stock} apples. ` +
          `${capital(p.subject)} sells ${morning} apples in the morning and ` +
          `${afternoon} in the afternoon. In the evening a delivery of ` +
          `${crates} crates arrives, with ${perCrate} apples in each crate. ` +
          "How many apples does the shop have now?",
        expression:
          `${stock} - ${morning} - ${afternoon} + ${crates} * ${perCrate}`,
        answer: stock - morning - afternoon + crates * perCrate,
      };
    },
  },
  {
    name: "reading_pages",
    write: (random, p) => {
      const monday = random.int(5, 30);
      const factor = random.int(2, 3);
      const fewer = random.int(1, monday * factor - 1);
      const times = factor === 2 ? "twice as many" : "three times as many";
      return {
        question: `${p.name} reads ${monday} pages of a book on Monday and ` +
          `${times} pages on Tuesday. On Wednesday ${p.subject} reads ` +
          `${fewer} fewer pages than on Tuesday. How many pages does ` +
          `${p.subject} read on Tuesday and Wednesday together?`,
        expression:
          `${monday} * ${factor} + (${monday} * ${factor} - ${fewer})`,
        answer: monday * factor + (monday * factor - fewer),
      };
    },
  },
  {
    name: "party_change",
    write: (random, p) => {
      const pizzas = random.int(2, 5);
      const pizzaPrice = random.int(8, 15);
      const drinks = random.int(2, 6);
      const drinkPrice = random.int(1, 4);
      const total = pizzas * pizzaPrice + drinks * drinkPrice;
      const bill = [20, 50, 100].find((b) => b > total)!;
      return {
        question: `${p.name} buys ${pizzas} pizzas at $${pizzaPrice} each ` +
          `and ${drinks} drinks at $${drinkPrice} each for a party. ` +
          `${capital(p.subject)} pays with a $${bill} bill. How many ` +
          `dollars of change does ${p.subject} get?`,
        expression:
          `${bill} - (${pizzas} * ${pizzaPrice} + ${drinks} * ${drinkPrice})`,
        answer: bill - total,
      };
    },
  },
  {
    name: "ages",
    write: (random, p) => {
      const age = random.int(6, 15);
      const older = random.int(2, 8);
      const years = random.int(2, 10);
      return {
        question: `${p.name} is ${age} years old. ${capital(p.possessive)} ` +
          `brother is ${older} years older than ${p.object}. In ${years} ` +
          `years, what will the sum of their ages be?`,
        expression: `${age} + (${age} + ${older}) + ${years} * 2`,
        answer: (age + years) + (age + older + years),
      };
    },
  },
  {
    name: "class_candy",
    write: (random, p) => {
      const bags = random.int(3, 8);
      const perBag = random.int(10, 30);
      const students = random.int(10, 25);
      const total = bags * perBag;
      const each = random.int(1, Math.floor((total - 1) / students));
      return {
        question: `${p.name} is a teacher. ${capital(p.subject)} buys ` +
          `${bags} bags of candy with ${perBag} candies in each bag and ` +
          `gives each of ${p.possessive} ${students} students ${each} ` +
          "candies. How many candies are left over?",
        expression: `${bags} * ${perBag} - ${students} * ${each}`,
        answer: total - students * each,
      };
    },
  },
];

/**
 * The template names, for reports and tests.
 *
 * @example
 * ```ts
 * ARITHMETIC_TEMPLATES.includes("bake_share"); // true
 * ```
 */
export const ARITHMETIC_TEMPLATES: readonly string[] = TEMPLATES.map((t) =>
  t.name
);

/**
 * `count` arithmetic word problems for `seed`.
 *
 * @example
 * ```ts
 * const tasks = generate(5, 10);
 * tasks.every((t) => Number.isInteger(t.expected) && t.expected > 0); // true
 * ```
 */
export function generate(seed: number, count: number): ArithmeticTask[] {
  checkCount(count);
  const random = createRandom(seed);
  const tasks: ArithmeticTask[] = [];
  for (let index = 0; index < count; index++) {
    const template = random.pick(TEMPLATES);
    const problem = template.write(random, random.pick(PEOPLE));
    if (!Number.isSafeInteger(problem.answer) || problem.answer <= 0) {
      throw new Error(
        `template ${template.name} gave ${problem.answer} for ${problem.expression}`,
      );
    }
    tasks.push({
      key: taskKey("arithmetic", index),
      family: "arithmetic",
      question: problem.question,
      expected: problem.answer,
      answerType: "integer",
      template: template.name,
      expression: problem.expression,
    });
  }
  return tasks;
}
