#!/usr/bin/env bash
# Makes sure NATS (with JetStream) and PostgreSQL answer on 127.0.0.1, starting the machine's own
# services only when they do not. Starts nothing that is already there.
set -u

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    answers "$port" && return 0
    sleep 0.5
  done
  echo "ensure-services: $name does not answer on 127.0.0.1:$port" >&2
  return 1
}

if ! answers 4222; then
  echo "ensure-services: starting nats-server with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for 4222 NATS || exit 1
fi

if ! answers 5432; then
  echo "ensure-services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  wait_for 5432 PostgreSQL || exit 1
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "ensure-services: PostgreSQL is not accepting connections" >&2; exit 1; }
echo "ensure-services: NATS and PostgreSQL answer"
