// drizzle-kit's configuration: `deno task db:generate` writes SQL
// migrations for the tables in server/db/schema.ts into migrations/.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/schema.ts",
  out: "./migrations",
});
