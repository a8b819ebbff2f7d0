#!/usr/bin/env bash
# Back up the platform's PostgreSQL database into one pg_dump archive (custom format).
#
#   SATISFACTION_DATABASE_URL=postgresql+psycopg://user@host/dbname scripts/backup.sh [FILE]
#
# FILE defaults to satisfaction-YYYYMMDD-HHMMSS.dump here. The archive is written beside FILE
# and renamed only once pg_dump has finished and pg_restore can list it: a FILE is complete.
# Restore it with scripts/restore.sh. Keep the password out of the URL (it would show in the
# process list): use ~/.pgpass or PGPASSFILE.
set -euo pipefail

die() { echo "backup: $*" >&2; exit 1; }

url="${SATISFACTION_DATABASE_URL:-}"
[ -n "$url" ] || die "set SATISFACTION_DATABASE_URL to the PostgreSQL database to back up"
case "$url" in
  postgresql://*|postgresql+psycopg://*|postgresql+psycopg2://*|postgres://*) ;;
  *) die "SATISFACTION_DATABASE_URL is not PostgreSQL; for SQLite use: sqlite3 FILE '.backup COPY'" ;;
esac
libpq_url="postgresql://${url#*://}"  # the driver's name (+psycopg) means nothing to pg_dump

out="${1:-satisfaction-$(date -u +%Y%m%d-%H%M%S).dump}"
[ -e "$out" ] && die "$out exists already; give another name"
partial="$out.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --compress=6 --file="$partial" --dbname="$libpq_url"
pg_restore --list "$partial" >/dev/null || die "the archive cannot be read back; nothing kept"
mv "$partial" "$out"
trap - EXIT
echo "backup: wrote $out ($(du -h "$out" | cut -f1))"
