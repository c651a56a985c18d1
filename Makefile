# Thin wrapper around CMake: `make run` serves the decoy, `make test` tests it.
# Both install missing Debian packages first (as root, or through sudo).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# Seconds each libFuzzer target runs in `make fuzz` (`make test` replays the
# corpora and mutations under ASan+UBSan instead: no clang build).
FUZZ_SECONDS ?= 60
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# CI builds with -Werror; locally warnings stay warnings unless WERROR=ON.
WERROR     ?= $(if $(CI),ON,OFF)
ARGS       ?=
# Started as root, the decoy binds, opens its files, then becomes nobody.
RUN_AS     ?= $(shell [ "$$(id -u)" = 0 ] && echo --user nobody)

# What the daemon needs to build and run.
BUILD_PKGS := cmake make gcc pkg-config libmicrohttpd-dev libavcodec-dev libavformat-dev \
              libavdevice-dev libavutil-dev libswscale-dev libjpeg62-turbo-dev libfreetype-dev fonts-dejavu-core \
              tzdata libsqlite3-dev \
              libmaxminddb-dev sqlite3 libcurl4-openssl-dev libcairo2-dev nettle-dev libxml2-dev \
              libmaxmind-db-writer-perl
# What the tests drive it with.
TEST_PKGS  := ffmpeg curl chromium python3 libmaxmind-db-writer-perl tesseract-ocr tesseract-ocr-eng \
              libxml2-utils systemd slowhttptest nmap \
              clickhouse-server clickhouse-client mandoc onvif-tools iproute2 \
              gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
              gstreamer1.0-plugins-bad gstreamer1.0-libav

# What `make fuzz` builds the libFuzzer targets with.
FUZZ_PKGS  := clang libclang-rt-14-dev

# What `make deb` builds and checks the package with (t_deb uses them too).
DEB_PKGS   := debhelper dpkg-dev fakeroot lintian logrotate

# The peers `make bench` measures against, and its clients.
BENCH_PKGS := motion ustreamer nginx-light wrk ffmpeg curl python3 util-linux clickhouse-server clickhouse-client \
              python3-gst-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-good \
              gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The free country database (ip-location-db, CC BY 4.0 data) from npm.
GEOIP_PKG := @ip-location-db/geo-whois-asn-country-mmdb
GEOIP_DB  := $(BUILD)/geoip/geo-whois-asn-country.mmdb
# The free ASN lists (ip-location-db: RouteViews and DB-IP, CC BY 4.0) from npm,
# as CSV: decoy/record/asn_mmdb.pl writes them as a GeoLite2-ASN-shaped database.
ASN_PKG   := @ip-location-db/asn
ASN_DB    := $(BUILD)/geoip/asn.mmdb

# $(call apt_install,PACKAGES[,APT OPTIONS]): installs whichever of PACKAGES are missing.
apt_install = @missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(2) $$missing; \
	fi
# The test tools (about 1,000 packages on a minimal Debian 12) are unpacked
# without an fsync per file: debootstrap's minbase took 262 s to fetch and
# install the build and test packages, 158 s with them fetched already and
# no fsyncs (2026-12-07); a crash during that install would leave a package
# to reinstall, on a machine that runs tests.
TEST_APT_OPTS := -o Dpkg::Options::=--force-unsafe-io

.PHONY: scenes all deps deps-test deps-deb lint geoip build build-plain build-asan build-fuzz run test test-long fuzz bench deps-bench docs deb clean

all: build

deps:
	$(call apt_install,$(BUILD_PKGS))

deps-test: deps
	$(call apt_install,$(TEST_PKGS),$(TEST_APT_OPTS))

# npm may come with a nodejs that is not Debian's: ask for the command, not the package.
geoip: deps
	@if [ ! -s $(GEOIP_DB) ]; then \
		command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm; }; \
		mkdir -p $(BUILD)/geoip && \
		npm install --no-save --no-audit --no-fund --silent --prefix $(BUILD)/geoip/npm $(GEOIP_PKG) && \
		cp $(BUILD)/geoip/npm/node_modules/$(GEOIP_PKG)/geo-whois-asn-country.mmdb $(GEOIP_DB) || \
		echo "warning: could not fetch $(GEOIP_PKG); the decoy runs without countries"; \
	fi
	@if [ ! -s $(ASN_DB) ]; then \
		command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends npm; }; \
		mkdir -p $(BUILD)/geoip && \
		npm install --no-save --no-audit --no-fund --silent --prefix $(BUILD)/geoip/npm-asn $(ASN_PKG) && \
		perl decoy/record/asn_mmdb.pl $(ASN_DB) $(BUILD)/geoip/npm-asn/node_modules/$(ASN_PKG) && \
		rm -rf $(BUILD)/geoip/npm-asn || \
		echo "warning: could not build $(ASN_DB); the decoy runs without autonomous systems"; \
	fi

build: build-plain geoip

# The build without the GeoIP databases: the tests bring their own
# (tests/geoip/make_test_mmdb.pl), so `make test` fetches nothing from npm
# (on a machine without npm, Debian's npm alone is some 330 packages).
build-plain: deps
	cmake -S . -B $(BUILD) -DCAMDECOY_WERROR=$(WERROR)
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCAMDECOY_SANITIZE=ON -DCAMDECOY_WERROR=$(WERROR)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

build-fuzz: deps
	$(call apt_install,$(FUZZ_PKGS))
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCAMDECOY_FUZZ=ON \
		-DCAMDECOY_WERROR=$(WERROR) -DCAMDECOY_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_auth fuzz_telnet fuzz_rtsp fuzz_request fuzz_config fuzz_jpeg fuzz_report fuzz_event fuzz_tsv fuzz_onvif fuzz_exploit

run: build
	./$(BUILD)/camdecoy $(RUN_AS) $(ARGS)

# Each test runs once: the load, wire and fleet scenarios (plain_only) in the
# plain build, every other one, the unit tests and each fuzz target (its
# corpus, then 2 s of seeded mutations: tests/fuzz/replay.c) under ASan+UBSan.
# t_deb (label deb) needs the package `make deb` builds: `make test-long` runs it.
test: deps-test build-plain build-asan
	cd $(BUILD) && ctest --output-on-failure -j 4 -L plain_only -LE 'long|deb'
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j 4 -LE 'plain_only|long|deb'

# Each fuzz target for FUZZ_SECONDS (60 by default), from its seed corpus.
fuzz: deps-test
	$(MAKE) --no-print-directory build-fuzz
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L fuzz -j 2

# The long hardening runs (CI only: about 40 minutes): slowloris at 60 s per
# mode, a 5,000 requests/s flood for 60 s, 20 kill -9 under load, 200,000
# per-viewer credentials, issue 24's 40,000 distinct snapshot viewers into a
# 4 MiB database, 210,000 credentials under a Digest flood, each door held
# for 60 s (HTTP with its default 4,096-place table), the 100-sensor fleet on
# one ClickHouse and on two shards with a 20 s outage, the scenarios labelled
# `long`, the Debian package (built, linted, its units verified, its decoys
# started from the installed tree), and every fuzz target for 60 s.
test-long: deps-test build deb
	cd $(BUILD) && SLOW_SECONDS=60 FLOOD_RATE=5000 FLOOD_SECONDS=60 CRASH_ROUNDS=20 CRED_VIEWS=200000 \
		ctest --output-on-failure -R 'integration_t_(slowloris|flood|crash_repeat|credentials)'
	cd $(BUILD) && CAP_VIEWS=40000 CAP_MB=4 ctest --output-on-failure -R 'integration_t_cap$$'
	cd $(BUILD) && DIGEST_VIEWS=210000 FLOOD_SECONDS=30 \
		ctest --output-on-failure -R 'integration_t_digest_flood'
	cd $(BUILD) && HOLD_FULL=1 ctest --output-on-failure -R 'integration_t_hold_'
	cd $(BUILD) && TRAP_VIEWERS_ALL=1 ctest --output-on-failure -R 'integration_t_trap_viewers'
	cd $(BUILD) && REPORT_CH_ALL=1 ctest --output-on-failure -R 'integration_t_report_clickhouse'
	cd $(BUILD) && FLEET_SENSORS=100 CH_OUTAGE_SECONDS=20 \
		ctest --output-on-failure -R 'integration_t_fleet'
	cd $(BUILD) && ctest --output-on-failure -L long
	cd $(BUILD) && ctest --output-on-failure -L deb
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=60

deps-deb: deps
	$(call apt_install,$(DEB_PKGS))

# The Debian package, built from a copy of the tree (tracked files and new
# ones git does not ignore) in $(BUILD)/deb/src, so that dpkg-buildpackage
# leaves camdecoy_VERSION_ARCH.deb in $(BUILD)/deb/ and not beside the tree;
# the GeoIP databases `make geoip` fetched go in with it. Lint-clean at
# warning level or it fails.
deb: deps-deb geoip
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src/build/geoip
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(BUILD)/deb/src
	cp $(GEOIP_DB) $(ASN_DB) $(BUILD)/deb/src/build/geoip/
	cd $(BUILD)/deb/src && dpkg-buildpackage -b -us -uc -j$(JOBS)
	lintian --fail-on error,warning --info $(BUILD)/deb/camdecoy_*.deb

# Lint: every C source formatted as .clang-format says, cppcheck's warnings
# (suppressions with their reasons in tests/lint/cppcheck.supp), shellcheck
# on every script (.shellcheckrc follows their sourced libraries). CI runs it.
LINT_PKGS := clang-format cppcheck shellcheck
C_SOURCES = $(shell git ls-files '*.c' '*.h')
SH_SOURCES = $(shell git ls-files '*.sh') .ci/run
lint:
	$(call apt_install,$(LINT_PKGS))
	clang-format --dry-run -Werror $(C_SOURCES)
	cppcheck --quiet --enable=warning,portability --std=c11 --inline-suppr --error-exitcode=1 \
		--suppressions-list=tests/lint/cppcheck.supp -D__GNUC__ -I decoy/common decoy media analytics
	shellcheck -S warning $(SH_SOURCES)

deps-bench: deps
	$(call apt_install,$(BENCH_PKGS))

# Benchmarks against motion, ustreamer and nginx (never part of `make test`).
bench: deps-bench build
	tests/bench/run.sh $(BUILD)

# The pictures in docs/ (README, docs/reports.md): example charts from a reference-shaped
# database (sqlite3 builds it).
docs: deps-test build
	tests/tools/docs_charts.sh $(BUILD) docs
	tests/tools/docs_scenes.sh $(BUILD) docs

# The scenes path-traced again from media/scenes/<scene>.py with Blender (Debian's blender,
# Cycles, headless): the layers in media/scenes/assets and their geometry in
# media/scene_meta.c, both committed so that building never needs Blender.
# 4 minutes on 2 quiet cores, 10 on busy ones; SCENES_SAMPLES=4 for a quick look;
# SCENES_ONLY=depth only the depth layers (what hides the passer-by) and the geometry,
# ray-cast in a minute, the path-traced layers left as they are.
SCENES_SAMPLES ?= 16
SCENES_ONLY ?=
scenes:
	$(call apt_install,blender)
	media/scenes/render.sh media/scenes/assets media/scene_meta.c $(SCENES_SAMPLES) 100 $(SCENES_ONLY)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
