#!/bin/sh
# Nightly backup of elearn: the PostgreSQL database (custom format) and instance/ (uploads, issued PDFs, keys).
# Run as the elearn user from cron or a systemd timer; keep the copies off the machine as the retention policy says.
set -eu
. /etc/elearn/elearn.env
target="${BACKUP_DIR:-/var/backups/elearn}/$(date +%Y-%m-%d)"
mkdir -p "$target"
pg_dump --format=custom --file="$target/elearn.dump" "$DATABASE_URL"
tar --create --gzip --file="$target/instance.tar.gz" --directory="${ELEARN_INSTANCE_PATH:-/srv/elearn/instance}" .
