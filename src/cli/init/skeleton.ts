// The services.yaml `msdev init` writes when it finds nothing it knows how to run: one working
// example service and, commented out, the other kinds of service.

/** What `msdev init` looks for, in words (for the skeleton and the command's message). */
export const LOOKS_FOR = 'package.json scripts, a Dockerfile, manage.py, app.py/main.py, go.mod, Cargo.toml, a Gemfile with rails, or .js/.py scripts';

/** The skeleton services.yaml. */
export function skeletonYaml(): string {
  return `# services.yaml for msdev, written by \`msdev init\`.
# msdev found nothing here it knows how to run (${LOOKS_FOR}),
# so this is an example to replace with your own services. Then run \`msdev up\`.

services:
  # An example that works as it is: a web server on a free port msdev picks (\${port}, also $PORT),
  # ready once GET / answers.
  web:
    command: python3 -m http.server \${port} --bind 127.0.0.1
    port: auto
    healthcheck:
      http: /

  # A container, ready once its port accepts a connection:
  # db:
  #   image: postgres:16
  #   ports: ["5432"]                  # a free host port; \${services.db.ports.5432} names it
  #   env: { POSTGRES_PASSWORD: dev }

  # A one-shot that must finish before another starts:
  # migrate:
  #   command: node migrate.js
  #   restart: "no"
  #   depends_on: { db: healthy }

  # A service that finds another by name (DB_URL, DB_HOST, DB_PORT come from msdev's registry):
  # api:
  #   command: npm start
  #   port: auto
  #   depends_on: { migrate: completed }
  #   env: { DATABASE_URL: "postgres://postgres:dev@127.0.0.1:\${services.db.ports.5432}/postgres" }
  #   healthcheck: { http: /health }
  #   watch: { paths: [src] }           # restart on changes
`;
}
