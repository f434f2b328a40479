#!/usr/bin/env bash
# The OpenONS admin command: accounts, access keys and consumer group retry settings through the gateway's admin API. See --help.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The local run (deploy/local/up.sh) writes the endpoint and the admin token here.
LOCAL_ENV_FILE="$SCRIPT_DIR/local/.run/env"
# A JDK-only HTTP client, used when curl is not installed.
HTTP_CALL_SOURCE="$SCRIPT_DIR/local/launcher/src/main/java/io/openons/local/HttpCall.java"

usage() {
  cat <<'EOF'
Usage: deploy/ons-admin.sh [--endpoint URL] [--token TOKEN] [--json] COMMAND [ARGS]

Manages OpenONS accounts and access keys through the gateway's admin API (/admin/v1), on any installation:
the local run (deploy/local/up.sh) or a cluster.

Commands:
  create-account [--name NAME] [--account-id ID]
                                  create an account and its first access key; prints ONS_ACCOUNT_ID,
                                  ONS_ACCESS_KEY_ID and ONS_ACCESS_KEY_SECRET (the secret is shown only now)
  create-key ACCOUNT_ID [--description TEXT]
                                  create another access key for the account (same output)
  list-keys ACCOUNT_ID            list the account's access keys (without secrets)
  disable-key ACCESS_KEY_ID       reject every request signed with this key from now on
  enable-key ACCESS_KEY_ID        accept the key again
  group-settings ACCOUNT_ID INSTANCE_ID GROUP_ID [--retry-interval MS] [--order-retry-interval MS]
                 [--max-reconsume N]
                                  show a consumer group's retry settings, or set them: the retry interval of
                                  unordered / ordered messages (1000..43200000 ms; default 300000 / 60000) and
                                  the redeliveries before the dead-letter queue (0..1000; default 288). A value
                                  not given returns to its default.

Options:
  --endpoint URL   the gateway, e.g. http://127.0.0.1:8080    (default: $ONS_ENDPOINT)
  --token TOKEN    the admin token the gateway was started with (default: $ONS_ADMIN_TOKEN)
  --json           print the API's JSON answer as it is
  -h, --help       this help

Without --endpoint/--token and the variables, the values of the local run are used
(deploy/local/.run/env). The gateway enables the admin API only when ONS_ADMIN_TOKEN is set.
Needs curl, or else a JDK (java).

Examples:
  deploy/ons-admin.sh create-account --name "team a"
  deploy/ons-admin.sh list-keys 1234567890123456
  deploy/ons-admin.sh --endpoint https://ons.example.com --token "$TOKEN" disable-key LTAIxxxxxxxxxxxxxxxxxxxx
  deploy/ons-admin.sh group-settings 1234567890123456 MQ_INST_1234567890123456_abcdefgh GID_orders \
    --retry-interval 10000 --max-reconsume 16
EOF
}

die() { printf 'ons-admin: %s\n' "$*" >&2; exit 1; }
usage_error() { printf 'ons-admin: %s (see --help)\n' "$*" >&2; exit 2; }

read_setting() { # file key
  [[ -f $1 ]] || return 0
  sed -n "s/^$2=//p" "$1" | tail -n 1
}

# A JSON string literal for $1.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# The value of string (or boolean) field $2 in the JSON object text $1; empty when absent or null.
json_field() {
  local string_re="\"$2\"[[:space:]]*:[[:space:]]*\"(([^\"\\\\]|\\\\.)*)\""
  local literal_re="\"$2\"[[:space:]]*:[[:space:]]*(true|false|[0-9]+)"
  local value
  if [[ $1 =~ $string_re ]]; then
    value=${BASH_REMATCH[1]}
    value=${value//\\\"/\"}
    printf '%s' "${value//\\\\/\\}"
  elif [[ $1 =~ $literal_re ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

# admin_call METHOD PATH [JSON_BODY]: sets STATUS and BODY; fails when the gateway cannot be reached.
admin_call() {
  local method=$1 url="$ENDPOINT$2" body=${3:-} output code=0
  if command -v curl >/dev/null 2>&1; then
    local -a args=(-sS -X "$method" -H @- -H 'Accept: application/json' -w '\n%{http_code}'
      --connect-timeout 10 --max-time 60)
    if [[ -n $body ]]; then
      args+=(-H 'Content-Type: application/json' --data "$body")
    fi
    # The token goes through stdin, not the command line (which every user can read).
    output=$(printf 'Authorization: Bearer %s\n' "$TOKEN" | curl "${args[@]}" "$url") || code=$?
  elif command -v java >/dev/null 2>&1 && [[ -f $HTTP_CALL_SOURCE ]]; then
    local -a args=("$method" "$url")
    if [[ -n $body ]]; then
      args+=("$body")
    fi
    output=$(ONS_ADMIN_TOKEN=$TOKEN java "$HTTP_CALL_SOURCE" "${args[@]}") || code=$?
  else
    die "curl is required (e.g. apt-get install curl)"
  fi
  if ((code != 0)); then
    die "cannot reach the admin API at $ENDPOINT (exit code $code). Is the gateway running? (locally: deploy/local/up.sh)"
  fi
  STATUS=${output##*$'\n'}
  BODY=${output%$'\n'*}
  if [[ $output != *$'\n'* ]]; then
    BODY=""
  fi
}

# Fails with the API's own message unless the status is $1.
expect_status() {
  [[ $STATUS == "$1" ]] && return 0
  local message
  message=$(json_field "$BODY" error)
  case "$STATUS" in
    401) die "the admin token was refused (401): ${message:-check --token / ONS_ADMIN_TOKEN}" ;;
    403) die "forbidden (403): ${message:-the admin API is disabled}" ;;
    404) die "${message:-not found (404): is $ENDPOINT an OpenONS gateway?}" ;;
    *) die "the admin API answered HTTP $STATUS: ${message:-$BODY}" ;;
  esac
}

print_new_key() {
  if [[ $JSON == true ]]; then
    printf '%s\n' "$BODY"
    return
  fi
  printf 'ONS_ACCOUNT_ID=%s\nONS_ACCESS_KEY_ID=%s\nONS_ACCESS_KEY_SECRET=%s\n' \
    "$(json_field "$BODY" accountId)" "$(json_field "$BODY" accessKeyId)" "$(json_field "$BODY" accessKeySecret)"
}

require_account_id() {
  [[ -n ${1:-} ]] || usage_error "$COMMAND needs an ACCOUNT_ID"
  [[ $1 =~ ^[0-9]{1,20}$ ]] || usage_error "'$1' is not an account id (digits only)"
}

require_key_id() {
  [[ -n ${1:-} ]] || usage_error "$COMMAND needs an ACCESS_KEY_ID"
  [[ $1 =~ ^[A-Za-z0-9._-]{1,64}$ ]] || usage_error "'$1' is not an access key id"
}

create_account() {
  local name="" account_id="" fields=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --name) [[ $# -ge 2 ]] || usage_error "--name needs a value"; name=$2; shift 2 ;;
      --account-id) [[ $# -ge 2 ]] || usage_error "--account-id needs a value"; account_id=$2; shift 2 ;;
      *) usage_error "create-account: unexpected argument '$1'" ;;
    esac
  done
  if [[ -n $account_id ]]; then
    require_account_id "$account_id"
    fields+=("\"accountId\":$(json_string "$account_id")")
  fi
  if [[ -n $name ]]; then
    fields+=("\"displayName\":$(json_string "$name")")
  fi
  local joined
  joined=$(IFS=,; printf "%s" "${fields[*]}")
  admin_call POST /admin/v1/accounts "{$joined}"
  expect_status 201
  print_new_key
}

create_key() {
  local account_id="" description=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --description) [[ $# -ge 2 ]] || usage_error "--description needs a value"; description=$2; shift 2 ;;
      -*) usage_error "create-key: unknown option '$1'" ;;
      *) [[ -z $account_id ]] || usage_error "create-key: unexpected argument '$1'"; account_id=$1; shift ;;
    esac
  done
  require_account_id "$account_id"
  local body="{}"
  if [[ -n $description ]]; then
    body="{\"description\":$(json_string "$description")}"
  fi
  admin_call POST "/admin/v1/accounts/$account_id/access-keys" "$body"
  expect_status 201
  print_new_key
}

list_keys() {
  [[ $# -le 1 ]] || usage_error "list-keys takes one ACCOUNT_ID"
  require_account_id "${1:-}"
  admin_call GET "/admin/v1/accounts/$1/access-keys"
  expect_status 200
  if [[ $JSON == true ]]; then
    printf '%s\n' "$BODY"
    return
  fi
  local rest=$BODY object count=0
  printf '%-28s %-8s %-30s %s\n' ACCESS_KEY_ID ENABLED CREATED DESCRIPTION
  while [[ $rest =~ \{[^{}]*\} ]]; do
    object=${BASH_REMATCH[0]}
    rest=${rest#*"$object"}
    printf '%-28s %-8s %-30s %s\n' "$(json_field "$object" accessKeyId)" "$(json_field "$object" enabled)" \
      "$(json_field "$object" createdAt)" "$(json_field "$object" description)"
    count=$((count + 1))
  done
  printf '%d key(s) for account %s\n' "$count" "$1"
}

set_enabled() { # true|false key-id
  [[ $# -le 2 ]] || usage_error "$COMMAND takes one ACCESS_KEY_ID"
  require_key_id "${2:-}"
  admin_call PUT "/admin/v1/access-keys/$2" "{\"enabled\":$1}"
  expect_status 204
  if [[ $1 == true ]]; then
    printf 'access key %s enabled\n' "$2"
  else
    printf 'access key %s disabled\n' "$2"
  fi
}

group_settings() { # ACCOUNT_ID INSTANCE_ID GROUP_ID [options]
  [[ $# -ge 3 ]] || usage_error "group-settings needs ACCOUNT_ID INSTANCE_ID GROUP_ID"
  require_account_id "$1"
  local account=$1 instance=$2 group=$3 fields=() set=false
  shift 3
  while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage_error "$1 needs a number"
    case "$1" in
      --retry-interval) fields+=("\"invisibleTimeMillis\":$2") ;;
      --order-retry-interval) fields+=("\"orderInvisibleTimeMillis\":$2") ;;
      --max-reconsume) fields+=("\"maxReconsumeTimes\":$2") ;;
      *) usage_error "unknown group-settings option '$1'" ;;
    esac
    set=true
    shift 2
  done
  local path="/admin/v1/accounts/$account/groups/$instance/$group/settings" body
  if [[ $set == true ]]; then
    body=$(IFS=,; printf '{%s}' "${fields[*]}")
    admin_call PUT "$path" "$body"
  else
    admin_call GET "$path"
  fi
  if [[ $STATUS != 200 ]]; then
    die "the admin API answered HTTP $STATUS: $(json_field "$BODY" Message)${BODY:+ ($BODY)}"
  fi
  if [[ $JSON == true ]]; then
    printf '%s\n' "$BODY"
    return
  fi
  printf 'group %s of %s (account %s):\n' "$group" "$instance" "$account"
  printf '  retry interval           %s ms\n' "$(json_field "$BODY" invisibleTimeMillis)"
  printf '  ordered retry interval   %s ms\n' "$(json_field "$BODY" orderInvisibleTimeMillis)"
  printf '  max reconsume times      %s\n' "$(json_field "$BODY" maxReconsumeTimes)"
}

main() {
  ENDPOINT="" TOKEN="" JSON=false COMMAND=""
  local -a args=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      --endpoint) [[ $# -ge 2 ]] || usage_error "--endpoint needs a value"; ENDPOINT=$2; shift 2 ;;
      --endpoint=*) ENDPOINT=${1#*=}; shift ;;
      --token) [[ $# -ge 2 ]] || usage_error "--token needs a value"; TOKEN=$2; shift 2 ;;
      --token=*) TOKEN=${1#*=}; shift ;;
      --json) JSON=true; shift ;;
      *)
        if [[ -z $COMMAND ]]; then
          COMMAND=$1
        else
          args+=("$1")
        fi
        shift
        ;;
    esac
  done
  [[ -n $COMMAND ]] || { usage >&2; exit 2; }

  ENDPOINT=${ENDPOINT:-${ONS_ENDPOINT:-$(read_setting "$LOCAL_ENV_FILE" ONS_ENDPOINT)}}
  TOKEN=${TOKEN:-${ONS_ADMIN_TOKEN:-$(read_setting "$LOCAL_ENV_FILE" ONS_ADMIN_TOKEN)}}
  ENDPOINT=${ENDPOINT%/}
  case "$COMMAND" in
    create-account | create-key | list-keys | disable-key | enable-key | group-settings) ;;
    *) usage_error "unknown command '$COMMAND'" ;;
  esac
  [[ -n $ENDPOINT ]] || usage_error "no endpoint: pass --endpoint URL or set ONS_ENDPOINT"
  [[ $ENDPOINT =~ ^https?:// ]] || usage_error "the endpoint must start with http:// or https:// (got '$ENDPOINT')"
  [[ -n $TOKEN ]] || usage_error "no admin token: pass --token or set ONS_ADMIN_TOKEN"

  case "$COMMAND" in
    create-account) create_account "${args[@]+"${args[@]}"}" ;;
    create-key) create_key "${args[@]+"${args[@]}"}" ;;
    list-keys) list_keys "${args[@]+"${args[@]}"}" ;;
    disable-key) set_enabled false "${args[@]+"${args[@]}"}" ;;
    enable-key) set_enabled true "${args[@]+"${args[@]}"}" ;;
    group-settings) group_settings "${args[@]+"${args[@]}"}" ;;
  esac
}

main "$@"
