#!/usr/bin/env bash
# Creates another account on the local run and prints its access key. See --help.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: deploy/local/new-account.sh [DISPLAY_NAME]

Creates another account with its first access key on the suite started by deploy/local/up.sh, and prints:
  ONS_ENDPOINT=http://127.0.0.1:8080
  ONS_ACCESS_KEY_ID=...
  ONS_ACCESS_KEY_SECRET=...
  ONS_ACCOUNT_ID=...
The secret is shown only this once. For other admin tasks (more keys, disabling a key) use
deploy/ons-admin.sh, which works against any installation.
EOF_USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
esac
[[ $# -le 1 ]] || { usage >&2; exit 2; }

[[ -f $ENV_FILE ]] || die "the local run has not been started: run deploy/local/up.sh first"
endpoint=$(read_setting "$ENV_FILE" ONS_ENDPOINT)
token=$(read_setting "$ENV_FILE" ONS_ADMIN_TOKEN)
[[ -n $endpoint && -n $token ]] || die "$ENV_FILE lacks ONS_ENDPOINT or ONS_ADMIN_TOKEN: run deploy/local/up.sh again"

# Through the environment, not arguments: the token must not show in the process list.
key=$(ONS_ENDPOINT=$endpoint ONS_ADMIN_TOKEN=$token "$REPO_ROOT/deploy/ons-admin.sh" create-account --name "${1:-local account}")
printf 'ONS_ENDPOINT=%s\n' "$endpoint"
grep -E '^ONS_ACCESS_KEY_(ID|SECRET)=' <<<"$key"
grep -E '^ONS_ACCOUNT_ID=' <<<"$key"
