#!/usr/bin/env bash
# Restore a scripts/backup.sh archive into an empty PostgreSQL database, then rebuild the scores.
#
#   createdb -O satisfaction satisfaction_restored
#   SATISFACTION_DATABASE_URL=postgresql+psycopg://user@host/satisfaction_restored \
#     scripts/restore.sh FILE
#
# The database must be empty (no table): a restore never mixes with other data. The archive
# goes in as one transaction (all or nothing), owned by the connecting user; the schema is then
# brought to this version (`satisfaction db upgrade`, when the archive records its migrations)
# and the score aggregates recomputed from the answers (`satisfaction scores rebuild`). SATISFACTION_COMMAND names the satisfaction
# command if it is not on the PATH.
set -euo pipefail

die() { echo "restore: $*" >&2; exit 1; }

archive="${1:-}"
[ -n "$archive" ] || die "usage: scripts/restore.sh FILE (an archive of scripts/backup.sh)"
[ -r "$archive" ] || die "cannot read $archive"
url="${SATISFACTION_DATABASE_URL:-}"
[ -n "$url" ] || die "set SATISFACTION_DATABASE_URL to the empty PostgreSQL database to fill"
case "$url" in
  postgresql://*|postgresql+psycopg://*|postgresql+psycopg2://*|postgres://*) ;;
  *) die "SATISFACTION_DATABASE_URL is not PostgreSQL" ;;
esac
libpq_url="postgresql://${url#*://}"
satisfaction="${SATISFACTION_COMMAND:-satisfaction}"
command -v "$satisfaction" >/dev/null || die "$satisfaction not found; set SATISFACTION_COMMAND"

pg_restore --list "$archive" >/dev/null || die "$archive is not a pg_dump archive"
tables=$(psql --dbname="$libpq_url" -Atqc \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
[ "$tables" = 0 ] || die "the database is not empty ($tables tables); restore into a new one"

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$libpq_url" "$archive"
echo "restore: $archive restored"
migrated=$(psql --dbname="$libpq_url" -Atqc "SELECT to_regclass('alembic_version') IS NOT NULL")
if [ "$migrated" = t ]; then
  "$satisfaction" db upgrade
else
  echo "restore: the archive has no migration record (alembic_version); schema left as it is"
fi
"$satisfaction" scores rebuild
"$satisfaction" responses stats --format json
