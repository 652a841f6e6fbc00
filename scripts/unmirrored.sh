#!/bin/sh
# Lists the files under src/ that hold logic but have no test at the mirrored path:
# src/<path>.ts is tested by test/unit/<path>.test.ts or, for code that needs NATS or PostgreSQL,
# test/integration/<path>.test.ts. Prints nothing and exits 0 when every such file has one;
# otherwise prints each missing one and exits 1.
#
# Exempt (below, each with its reason): files that only declare (types, constants, table
# schemas, migrations) or only wire parts together (entry points, composition roots). They have no
# behaviour of their own to test at their path; the behaviour tests and tsc cover them.
set -eu
cd "$(dirname "$0")/.."

exempt() {
  cat <<'LIST'
src/main.ts                                   entry point: reads process.env, hands it to runService
src/instrumentation.ts                        entry point: registers OpenTelemetry before main (node --import)
src/cli/orchestrator.ts                       entry point of the bin: process.env and argv into runCli
src/run-service.ts                            entry point: environment into config, the service, signals into its shutdown (test/integration/ops/start-command runs it)
src/cli/commands/serve-command.ts             wiring: `serve` loads the telemetry and runs runService
src/service.ts                                composition root: wires the parts of service/ (every integration test starts it)
src/service/service-app.ts                    wiring: the Koa app from the ingress, API and console routers
src/service/start-actors.ts                   wiring: runs each actor of the actor list and the consumer watchers
src/actors/actor-list.ts                      wiring: the list of actor definitions with their options
src/console/client/main.ts                    wiring: the browser entry point (test/integration/console drives it)
src/actors/actor-definition.ts                types: what an actor definition is
src/api/management-ports.ts                   types: the ports the management API is given
src/api/api-operation.ts                      types: what an operation is (defineOperation only keeps its types)
src/api/schemas/api-schema-registry.ts        declaration: the zod registry the schemas register in
src/api/schemas/same-type.ts                  types: a compile-time equality check (tsc is its test)
src/cli/cli-io.ts                             types: the CLI's streams
src/console/client/api-types.ts               types: the API's answers, inferred from its schemas
src/console/client/view-context.ts            types: what a console view is given
src/contracts/management-views.ts             types: what the management actions return
src/contracts/message-headers.ts              constants: header names
src/effects/db/page.ts                        types: a page and a page of rows
src/effects/github/queries/github-query.ts    types: what a GitHub query module exports
src/observability/health-check.ts             types: what a health check is
src/effects/db/entities/*                     declarations: table schemas (test/integration/effects/db/entities.test.ts, unique-constraints.test.ts)
src/effects/db/migrations/*                   declarations: generated DDL (test/integration/effects/db/open-database.test.ts)
LIST
}

is_exempt() {
  exempt | awk '{print $1}' | while read -r pattern; do
    case "$1" in $pattern) echo yes; return ;; esac
  done
}

missing=0
for file in $(find src -name '*.ts' | sort); do
  rel=${file#src/}
  rel=${rel%.ts}
  [ -e "test/unit/$rel.test.ts" ] && continue
  [ -e "test/integration/$rel.test.ts" ] && continue
  [ -n "$(is_exempt "$file")" ] && continue
  echo "$file"
  missing=$((missing + 1))
done
[ "$missing" -eq 0 ]
