# shellcheck shell=bash
# ch_server.sh (sourced by the benchmarks): bench_ch_start DIR starts a
# ClickHouse server of the benchmark's own on loopback with its data under
# DIR, sets ch_url, ch_tcp and ch_pid; memory bounded for a report's joins.
. "$(dirname "${BASH_SOURCE[0]}")/../tools/net.sh"
port() { free_port; }
bench_ch_start() {
	local dir="$1" http
	http=$(port) ch_tcp=$(port)
	mkdir -p "$dir/data" "$dir/tmp" "$dir/log"
	cat >"$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex><profiles><default><max_memory_usage>8000000000</max_memory_usage></default></profiles>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas></yandex>
XML
	cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex><logger><level>warning</level><log>$dir/log/s.log</log><errorlog>$dir/log/e.log</errorlog></logger>
<http_port>$http</http_port><tcp_port>$ch_tcp</tcp_port><listen_host>127.0.0.1</listen_host>
<mark_cache_size>268435456</mark_cache_size><path>$dir/data/</path><tmp_path>$dir/tmp/</tmp_path>
<users_config>$dir/users.xml</users_config><default_profile>default</default_profile>
<default_database>default</default_database><timezone>UTC</timezone></yandex>
XML
	clickhouse-server --config-file="$dir/config.xml" >"$dir/log/out" 2>&1 &
	# shellcheck disable=SC2034 # the caller stops the server with it
	ch_pid=$!
	ch_url="http://127.0.0.1:$http/"
	for _ in $(seq 1 100); do
		[ "$(curl -s "$ch_url" --data-binary 'SELECT 1' 2>/dev/null)" = 1 ] && return 0
		sleep 0.2
	done
	echo "clickhouse did not start" >&2
	return 1
}
# t CMD...: seconds it took (its output discarded)
t() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); python3 -c "print(round($t1 - $t0, 2))"; }
