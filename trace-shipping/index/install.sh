#!/bin/sh
# Installs rpctrace's index template and retention policy into one engine:
#   ./install.sh http://localhost:9200            (or ENGINE=http://... ./install.sh)
# OpenSearch 2.x/3.x: the ISM policy (ism-policy.json, attached to rpctrace-* by its ism_template).
# Elasticsearch 7.10+: the ILM policy (ilm-policy.json), named in every new index's settings.
# An engine without ILM (no x-pack) or ISM (no index-management plugin) gets the template only,
# and says so. Safe to run again: every PUT replaces what it names (an existing ISM policy is kept). Needs curl.
# Extra curl options (credentials, CA): CURL_OPTS="-u elastic:secret --cacert ca.pem".
set -eu
ENGINE="${1:-${ENGINE:-http://localhost:9200}}"
ENGINE="${ENGINE%/}"
DIR="$(cd "$(dirname "$0")" && pwd)"

call() { # method path [file] -> prints the HTTP status; the body goes to $BODY
  if [ $# -eq 3 ]; then
    # shellcheck disable=SC2086
    curl -sS ${CURL_OPTS:-} -o "$BODY" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
      --data-binary "@$3" "$ENGINE$2"
  else
    # shellcheck disable=SC2086
    curl -sS ${CURL_OPTS:-} -o "$BODY" -w '%{http_code}' -X "$1" "$ENGINE$2"
  fi
}
put() { # path file
  status=$(call PUT "$1" "$2") || { echo "rpctrace: cannot reach $ENGINE" >&2; exit 1; }
  case "$status" in
    2??) echo "rpctrace: PUT $1 ($(basename "$2")): ok" ;;
    409) # ISM refuses to overwrite a policy without its sequence number: keep the one installed
         echo "rpctrace: PUT $1: already there, kept (delete it first to replace it)" ;;
    *) echo "rpctrace: PUT $1 ($(basename "$2")) failed with HTTP $status: $(cat "$BODY")" >&2; exit 1 ;;
  esac
}

BODY="$(mktemp)"
trap 'rm -f "$BODY"' EXIT
status=$(call GET /) || { echo "rpctrace: cannot reach $ENGINE (is it running? is the URL right?)" >&2; exit 1; }
[ "$status" = 200 ] || { echo "rpctrace: $ENGINE answered HTTP $status to GET /: $(cat "$BODY")" >&2; exit 1; }
if grep -q '"distribution" *: *"opensearch"' "$BODY"; then
  if [ "$(call GET /_plugins/_ism/policies)" = 200 ]; then
    put /_plugins/_ism/policies/rpctrace-retention "$DIR/ism-policy.json"
  else
    echo "rpctrace: $ENGINE has no ISM (index-management plugin): rpctrace-* indices are kept until deleted" >&2
  fi
  put /_component_template/rpctrace-lifecycle "$DIR/lifecycle-none.json"
elif [ "$(call GET /_ilm/status)" = 200 ]; then
  put /_ilm/policy/rpctrace-retention "$DIR/ilm-policy.json"
  put /_component_template/rpctrace-lifecycle "$DIR/lifecycle-elasticsearch.json"
else
  echo "rpctrace: $ENGINE has no ILM (x-pack): rpctrace-* indices are kept until deleted" >&2
  put /_component_template/rpctrace-lifecycle "$DIR/lifecycle-none.json"
fi
put /_component_template/rpctrace-mappings "$DIR/rpctrace-mappings.json"
put /_index_template/rpctrace "$DIR/rpctrace-template.json"
