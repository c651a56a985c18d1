# shellcheck shell=bash
# clickhouse.sh: a ClickHouse server of the test's own on loopback (sourced
# after lib.sh). ch_start NAME [REMOTE_SERVERS_XML]: a server with its data
# under $TMP/ch-NAME, HTTP on CH_HTTP_NAME (printed as $CH_URL for the last
# one started); ch_stop NAME / ch_kill NAME; ch_query URL SQL.
CH_NAMES=()

ch_start() { # NAME [remote_servers XML]
	local name="$1" extra="${2:-}" dir="$TMP/ch-$1" http tcp
	if [ -f "$dir/ports" ]; then
		read -r http tcp <"$dir/ports" # a restart: the same ports and data
	else
		http="$(free_port)"
		tcp="${CH_TCP_FIXED:-$(free_port)}" # fixed: a cluster's servers name each other's
		mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files"
		echo "$http $tcp" >"$dir/ports"
		cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <shipper><password>fleet-secret</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></shipper>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
		cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>1024</max_connections>
  <max_concurrent_queries>200</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  $extra
</yandex>
XML
	fi
	clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
	echo $! >"$dir/pid"
	CH_NAMES+=("$name")
	CH_URL="http://127.0.0.1:$http/"
	eval "CH_HTTP_$name=$http CH_TCP_$name=$tcp"
	for _ in $(seq 1 100); do
		[ "$(curl -s --max-time 1 "$CH_URL" --data-binary 'SELECT 1' 2>/dev/null)" = 1 ] && return 0
		kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
		sleep 0.2
	done
	echo "clickhouse $name did not start:" >&2
	tail -n 20 "$dir/log/err.log" "$dir/log/stdout.log" >&2
	return 1
}

# ch_stop NAME: SIGTERM and wait (at most 30 s, then SIGKILL).
ch_stop() {
	local pid
	pid="$(cat "$TMP/ch-$1/pid" 2>/dev/null)" || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

ch_query() { # URL SQL: the answer on stdout, non-zero on an error answer
	curl -sS --fail-with-body --max-time 60 "$1" --data-binary "$2"
}

# wait_ch SQL WANT: until ClickHouse answers WANT (at most 20 s).
wait_ch() {
	local got=""
	for _ in $(seq 1 100); do
		got="$(curl -s --max-time 2 "$CH_URL" --data-binary "$1" 2>/dev/null)"
		[ "$got" = "$2" ] && return 0
		sleep 0.2
	done
	echo "wait_ch: $1 -> '$got', wanted '$2'" >&2
	return 1
}

ch_cleanup() {
	for n in "${CH_NAMES[@]}"; do ch_stop "$n"; done
}

# same_report_dirs A B: two report --out directories hold the same files,
# byte for byte but for index.html (it says where the data came from) and
# each PDF's CreationDate (cairo writes the time it was made).
same_report_dirs() {
	diff -rq -x index.html -x '*.pdf' "$1" "$2" >&2 || return 1
	python3 - "$1" "$2" <<'PY'
import glob, os, re, sys
a_dir, b_dir = sys.argv[1], sys.argv[2]
pdfs = sorted(glob.glob(a_dir + "/*.pdf"))
strip = lambda p: re.sub(rb"/CreationDate \(D:[^)]*\)", b"", open(p, "rb").read())
bad = [os.path.basename(a) for a in pdfs
       if not os.path.exists(os.path.join(b_dir, os.path.basename(a)))
       or strip(a) != strip(os.path.join(b_dir, os.path.basename(a)))]
for name in bad:
    print("differs:", name, file=sys.stderr)
sys.exit(1 if bad or not pdfs else 0)
PY
}
