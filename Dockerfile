# The evaluation server. Build: docker build -t evalserver .
# Run:   docker run -p 8000:8000 -v evaldata:/app/data evalserver
# With PostgreSQL: add -e DATABASE_URL=postgres://user:pass@host:5432/db
FROM denoland/deno:2.9.6

WORKDIR /app
COPY deno.json deno.lock ./
RUN deno ci
COPY . .
RUN deno cache server/main.ts scripts/import.ts \
 && mkdir -p /app/data \
 && chown -R deno:deno /app

USER deno
ENV PORT=8000 DATA_DIR=/app/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD deno eval "const r = await fetch('http://127.0.0.1:' + (Deno.env.get('PORT') ?? '8000') + '/api/health'); Deno.exit(r.ok ? 0 : 1)"
CMD ["deno", "task", "start"]
