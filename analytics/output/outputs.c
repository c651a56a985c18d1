/* outputs: one table definition per output, shared by both backends. */
#include "outputs.h"

typedef struct {
	const char *od_name;
	int od_ncols;
	const char *const *od_cols;
	const int *od_num;
} output_def_s;

static const char *const abuse_x_cols[] = {"asn",      "as_org",         "country",
                                           "src_ip",   "rule",           "cve",
                                           "attempts", "first_seen_utc", "last_seen_utc"};
static const int abuse_x_num[] = {1, 0, 0, 0, 0, 0, 1, 0, 0};
static const char *const summary_cols[] = {
    "period",     "accessed_hosts", "insecam_hosts", "fetched_hosts", "stream_views",
    "poll_views", "browser_hosts",  "scanner_hosts", "logins",        "credential_uses"};
static const int summary_num[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const char *const listing_cols[] = {"listed_at",   "referer_class",        "hosts_before",
                                           "days_before", "hosts_per_day_before", "hosts_after",
                                           "days_after",  "hosts_per_day_after",  "factor"};
static const int listing_num[] = {0, 0, 1, 1, 1, 1, 1, 1, 1};
static const char *const uses_cols[] = {
    "time",     "sensor",       "channel",    "src_ip",       "country",      "username",
    "password", "matched_view", "match_kind", "view_src_ip",  "view_country", "view_referer_class",
    "shown",    "lag_s",        "moved_ip",   "moved_country"};
static const int uses_num[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1};
static const char *const pairs_cols[] = {"channel", "username", "password", "attempts", "hosts"};
static const int pairs_num[] = {0, 0, 0, 1, 1};
static const char *const classes_cols[] = {"referer_class", "hosts", "views"};
static const int classes_num[] = {0, 1, 1};
static const char *const origins_cols[] = {"origin", "referer_class", "viewing_hosts", "views"};
static const int origins_num[] = {0, 0, 1, 1};
static const char *const funnel_cols[] = {
    "by",          "value",        "requested",   "fetched_frame",       "watched_10s",
    "watched_60s", "watched_4min", "tried_login", "used_trap_credential"};
static const int funnel_num[] = {0, 0, 1, 1, 1, 1, 1, 1, 1};

static const char *const countries_cols[] = {"country", "hosts", "host_share_pct", "views",
                                             "view_share_pct"};
static const int countries_num[] = {0, 1, 1, 1, 1};
static const char *const views_cols[] = {"id",           "sensor", "kind",    "started",
                                         "duration_s",   "src_ip", "country", "referer_class",
                                         "client_class", "frames", "probe",   "end_reason",
                                         "user_agent"};
static const int views_num[] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0};
static const char *const sessions_cols[] = {"sensor",       "src_ip",    "country", "started",
                                            "duration_s",   "views",     "frames",  "referer_class",
                                            "client_class", "user_agent"};
static const int sessions_num[] = {0, 0, 0, 0, 1, 1, 1, 0, 0, 0};
static const char *const longest_cols[] = {"id",           "sensor", "kind",      "started",
                                           "duration_s",   "src_ip", "country",   "referer_class",
                                           "client_class", "frames", "user_agent"};
static const int longest_num[] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
static const char *const abuse_cols[] = {"asn",          "as_org",         "country",
                                         "src_ip",       "time_utc",       "channel",
                                         "username",     "match_kind",     "shown_only_in_picture",
                                         "view_id",      "view_shown_utc", "view_src_ip",
                                         "view_country", "requests",       "request_lines"};
static const int abuse_num[] = {1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0};

static const char *const xrules_cols[] = {"rule",   "cve",         "family",      "attempts",
                                          "hosts",  "answered",    "first_seen",  "last_seen",
                                          "leaked", "leaked_used", "min_reuse_s", "max_reuse_s"};
static const int xrules_num[] = {0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1};
static const char *const xattempts_cols[] = {"time",
                                             "sensor",
                                             "src_ip",
                                             "country",
                                             "rule",
                                             "cve",
                                             "answered",
                                             "status",
                                             "method",
                                             "path",
                                             "payload",
                                             "payload_len",
                                             "payload_truncated",
                                             "ioc_urls",
                                             "ioc_ips",
                                             "ioc_fetch",
                                             "leaked_password"};
static const int xattempts_num[] = {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0};
static const char *const leak_uses_cols[] = {"cve",       "rule",     "leaked_to", "leaked_at",
                                             "used_from", "used_at",  "reuse_s",   "channel",
                                             "username",  "password", "line"};
static const int leak_uses_num[] = {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

static const output_def_s defs[] = {
    [OUT_SUMMARY] = {"summary", 10, summary_cols, summary_num},
    [OUT_EXPLOIT_RULES] = {"exploit_rules", 12, xrules_cols, xrules_num},
    [OUT_EXPLOIT_ATTEMPTS] = {"exploit_attempts", 17, xattempts_cols, xattempts_num},
    [OUT_LEAK_USES] = {"leak_uses", 11, leak_uses_cols, leak_uses_num},
    [OUT_SENSORS] = {"sensors", 10, summary_cols, summary_num},
    [OUT_LISTING] = {"listing", 9, listing_cols, listing_num},
    [OUT_CREDENTIAL_USES] = {"credential_uses", 16, uses_cols, uses_num},
    [OUT_TOP_PAIRS] = {"top_pairs", 5, pairs_cols, pairs_num},
    [OUT_REFERER_CLASSES] = {"referer_classes", 3, classes_cols, classes_num},
    [OUT_REFERER_ORIGINS] = {"referer_origins", 4, origins_cols, origins_num},
    [OUT_FUNNEL] = {"funnel", 9, funnel_cols, funnel_num},
    [OUT_COUNTRIES] = {"countries", 5, countries_cols, countries_num},
    [OUT_VIEWS] = {"views", 13, views_cols, views_num},
    [OUT_SESSIONS] = {"sessions", 10, sessions_cols, sessions_num},
    [OUT_LONGEST_VIEWS] = {"longest_views", 11, longest_cols, longest_num},
    [OUT_ABUSE] = {"abuse", 15, abuse_cols, abuse_num},
    [OUT_ABUSE_EXPLOITS] = {"abuse_exploits", 9, abuse_x_cols, abuse_x_num},
};

table_s *output_new(output_e kind)
{
	const output_def_s *d = &defs[kind];

	return table_new(d->od_name, d->od_ncols, d->od_cols, d->od_num);
}

table_s *output_stream(output_e kind, FILE *csv, FILE *json)
{
	const output_def_s *d = &defs[kind];

	return table_stream(d->od_name, d->od_ncols, d->od_cols, d->od_num, csv, json);
}
