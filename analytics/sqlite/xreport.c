/* xreport: `camdecoy-report exploits`: attempts per rule, every attempt, and each leaked
 * credential's later use ("leaked by CVE to A at t, used from B at t+lag on channel"). */
#include "outputs.h"
#include "query.h"

/* Per rule: attempts, hosts, how many the persona answered, first and last
 * seen, credentials leaked, how many of them were used and how soon. */
static const char rules_sql[] =
    "SELECT x.rule, IFNULL(x.cve, ''), x.family, COUNT(*), COUNT(DISTINCT x.src_ip),"
    " SUM(x.answered), " TIME("MIN(x.ts)") ", " TIME(
        "MAX(x.ts)") ","
                     " COUNT(x.trap_seq), (SELECT COUNT(DISTINCT u.sensor || ' ' || u.leaked_at || "
                     "' ' || u.leaked_to)"
                     "   FROM xu u WHERE u.rule = x.rule),"
                     " (SELECT CASE WHEN COUNT(*) > 0 THEN printf('%.3f', MIN(u.ts - u.leaked_at) "
                     "/ 1000.0) END"
                     "   FROM xu u WHERE u.rule = x.rule),"
                     " (SELECT CASE WHEN COUNT(*) > 0 THEN printf('%.3f', MAX(u.ts - u.leaked_at) "
                     "/ 1000.0) END"
                     "   FROM xu u WHERE u.rule = x.rule)"
                     " FROM x WHERE " R_WHERE " GROUP BY x.rule ORDER BY COUNT(*) DESC, x.rule";

/* Every attempt, its payload's first 160 bytes as bytes (a NUL does not end
 * it: the table escapes it), the whole is in the database. */
static const char attempts_sql[] =
    "SELECT " TIME("ts") ", sensor, src_ip, IFNULL(country, ''), rule, IFNULL(cve, ''), answered,"
                         " status, method, path || IFNULL('?' || query, ''),"
                         " CAST(substr(CAST(IFNULL(payload, '') AS BLOB), 1, 160) AS TEXT), "
                         "payload_len, payload_truncated,"
                         " IFNULL(ioc_urls, ''), IFNULL(ioc_ips, ''), IFNULL(ioc_fetch, ''), "
                         "IFNULL(trap_password, '')"
                         " FROM x WHERE " R_WHERE " ORDER BY ts, sensor, id";

static const char uses_sql[] =
    "SELECT IFNULL(cve, rule), rule, leaked_to, " TIME("leaked_at") ", used_from, " TIME(
        "ts") ","
              " printf('%.3f', (ts - leaked_at) / 1000.0), channel, username, password,"
              " 'leaked by ' || IFNULL(cve, rule) || ' to ' || leaked_to || ' at ' || " TIME(
                  "leaked_at") " || ', used from ' || used_from || ' at +' || printf('%.3f', (ts - "
                               "leaked_at) / 1000.0)"
                               " || ' s on ' || channel"
                               " FROM xu WHERE " R_WHERE " ORDER BY ts, sensor";

int exploits_tables(report_s *rp, table_s **out)
{
	out[0] = output_new(OUT_EXPLOIT_RULES);
	out[1] = output_new(OUT_EXPLOIT_ATTEMPTS);
	out[2] = output_new(OUT_LEAK_USES);
	if (out[0] == NULL || out[1] == NULL || out[2] == NULL) {
		snprintf(rp->rp_err, sizeof(rp->rp_err), "report: out of memory");
		return -1;
	}
	if (query_into(rp, out[0], rules_sql) != 0 || query_into(rp, out[1], attempts_sql) != 0)
		return -1;
	return query_into(rp, out[2], uses_sql);
}
