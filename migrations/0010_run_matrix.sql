ALTER TABLE "runs" ADD COLUMN "matrix_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "matrix_cell" text;--> statement-breakpoint
CREATE UNIQUE INDEX "runs_matrix_cell" ON "runs" USING btree ("matrix_id","matrix_cell");